export { compileProto, type ProtoSource, type CompileOptions } from "./compile-proto.js";
export { loadDescriptorSet, resolveMessage, findFile, type CompiledSchema } from "./load-descriptor-set.js";
export { bufBinary } from "./buf-binary.js";
export { bufBreaking } from "./buf-breaking.js";
export { parseBufAnnotations, formatBufAnnotation, type BufAnnotation } from "./buf-annotations.js";
