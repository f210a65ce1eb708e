import { fromJson, toBinary, type JsonValue } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";

/** Import path of gRPC's health checking protocol, as protoc, grpcurl and every reflection client name it. */
export const HEALTH_FILE = "grpc/health/v1/health.proto";

// protoc's descriptor of grpc-health-check's proto/health/v1/health.proto (buf build --exclude-source-info), so
// reflection serves what protoc and protobuf-go accept: the map entry is HealthListResponse.StatusesEntry and type
// names are fully qualified. @grpc/proto-loader's own conversion gets both wrong. health-descriptor.test.ts compiles
// the package's .proto again and checks that the two agree.
const json: JsonValue = {
  "name": "grpc/health/v1/health.proto",
  "package": "grpc.health.v1",
  "messageType": [
    {
      "name": "HealthListRequest"
    },
    {
      "name": "HealthListResponse",
      "field": [
        {
          "name": "statuses",
          "number": 1,
          "label": "LABEL_REPEATED",
          "type": "TYPE_MESSAGE",
          "typeName": ".grpc.health.v1.HealthListResponse.StatusesEntry",
          "jsonName": "statuses"
        }
      ],
      "nestedType": [
        {
          "name": "StatusesEntry",
          "field": [
            {
              "name": "key",
              "number": 1,
              "label": "LABEL_OPTIONAL",
              "type": "TYPE_STRING",
              "jsonName": "key"
            },
            {
              "name": "value",
              "number": 2,
              "label": "LABEL_OPTIONAL",
              "type": "TYPE_MESSAGE",
              "typeName": ".grpc.health.v1.HealthCheckResponse",
              "jsonName": "value"
            }
          ],
          "options": {
            "mapEntry": true
          }
        }
      ]
    },
    {
      "name": "HealthCheckRequest",
      "field": [
        {
          "name": "service",
          "number": 1,
          "label": "LABEL_OPTIONAL",
          "type": "TYPE_STRING",
          "jsonName": "service"
        }
      ]
    },
    {
      "name": "HealthCheckResponse",
      "field": [
        {
          "name": "status",
          "number": 1,
          "label": "LABEL_OPTIONAL",
          "type": "TYPE_ENUM",
          "typeName": ".grpc.health.v1.HealthCheckResponse.ServingStatus",
          "jsonName": "status"
        }
      ],
      "enumType": [
        {
          "name": "ServingStatus",
          "value": [
            {
              "name": "UNKNOWN",
              "number": 0
            },
            {
              "name": "SERVING",
              "number": 1
            },
            {
              "name": "NOT_SERVING",
              "number": 2
            },
            {
              "name": "SERVICE_UNKNOWN",
              "number": 3
            }
          ]
        }
      ]
    }
  ],
  "service": [
    {
      "name": "Health",
      "method": [
        {
          "name": "Check",
          "inputType": ".grpc.health.v1.HealthCheckRequest",
          "outputType": ".grpc.health.v1.HealthCheckResponse"
        },
        {
          "name": "Watch",
          "inputType": ".grpc.health.v1.HealthCheckRequest",
          "outputType": ".grpc.health.v1.HealthCheckResponse",
          "serverStreaming": true
        },
        {
          "name": "List",
          "inputType": ".grpc.health.v1.HealthListRequest",
          "outputType": ".grpc.health.v1.HealthListResponse"
        }
      ]
    }
  ],
  "options": {
    "javaPackage": "io.grpc.health.v1",
    "javaOuterClassname": "HealthProto",
    "javaMultipleFiles": true,
    "goPackage": "google.golang.org/grpc/health/grpc_health_v1",
    "csharpNamespace": "Grpc.Health.V1"
  },
  "syntax": "proto3"
};

/** The FileDescriptorProto of grpc/health/v1/health.proto. */
export const healthFileDescriptor: FileDescriptorProto = fromJson(FileDescriptorProtoSchema, json);

/** The same, serialized. */
export const healthFileDescriptorBytes = (): Uint8Array => toBinary(FileDescriptorProtoSchema, healthFileDescriptor);
