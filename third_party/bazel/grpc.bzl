"""cc_grpc_library without the gRPC Bazel repository: runs Debian's protoc with
grpc_cpp_plugin over one .proto and wraps the generated stubs in a cc_library."""

def cc_grpc_library(name, src, proto_dep, cc_proto_dep, deps = [], visibility = None):
    """src: the .proto file (label in this package); proto_dep: its proto_library (for imports);
    cc_proto_dep: its cc_proto_library, whose messages the stubs use."""
    base = src[:-len(".proto")]
    pkg = native.package_name()
    native.genrule(
        name = name + "_gen",
        srcs = [src, proto_dep],
        outs = [base + ".grpc.pb.h", base + ".grpc.pb.cc"],
        cmd = ("$(location @com_google_protobuf//:protoc) " +
               "--plugin=protoc-gen-grpc=/usr/bin/grpc_cpp_plugin " +
               "--grpc_out=$(GENDIR) -I. -I/usr/include " +
               "%s/%s") % (pkg, src),
        tools = ["@com_google_protobuf//:protoc"],
    )
    native.cc_library(
        name = name,
        srcs = [base + ".grpc.pb.cc"],
        hdrs = [base + ".grpc.pb.h"],
        deps = [cc_proto_dep, "@system//:grpc"] + deps,
        visibility = visibility,
    )
