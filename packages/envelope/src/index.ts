export { mergeMessage } from "./merge-message.js";
export { expandCommon, identityKey } from "./common-header.js";
export { trackwayFiles, trackwayRegistry, withDependencies, fileDescriptorProtoBytes, fileDescriptorSetBytes } from "./descriptors.js";
