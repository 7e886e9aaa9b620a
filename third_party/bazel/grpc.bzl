"""cc_grpc_library without the gRPC Bazel repository: runs Debian's protoc with
grpc_cpp_plugin over a proto_library and wraps the generated stubs in a cc_library.

protoc reads the proto_library's transitive descriptor sets, so imports resolve without the
imported .proto files being laid out for it."""

def _grpc_stubs_impl(ctx):
    info = ctx.attr.proto[ProtoInfo]
    outs = []
    for src in info.direct_sources:
        base = src.basename[:-len(".proto")]
        outs.append(ctx.actions.declare_file(base + ".grpc.pb.h"))
        outs.append(ctx.actions.declare_file(base + ".grpc.pb.cc"))
    descriptor_sets = info.transitive_descriptor_sets.to_list()
    args = ctx.actions.args()
    args.add("--plugin=protoc-gen-grpc=" + ctx.attr.plugin)
    args.add("--grpc_out=" + ctx.bin_dir.path)
    args.add("--descriptor_set_in=" + ctx.configuration.host_path_separator.join(
        [f.path for f in descriptor_sets],
    ))
    args.add_all([src.short_path for src in info.direct_sources])
    ctx.actions.run(
        inputs = descriptor_sets,
        outputs = outs,
        executable = ctx.executable._protoc,
        arguments = [args],
        mnemonic = "GrpcStubs",
        progress_message = "Generating gRPC stubs for %s" % ctx.label,
    )
    return [
        DefaultInfo(files = depset(outs)),
        OutputGroupInfo(
            headers = depset([f for f in outs if f.path.endswith(".h")]),
            sources = depset([f for f in outs if f.path.endswith(".cc")]),
        ),
    ]

_grpc_stubs = rule(
    implementation = _grpc_stubs_impl,
    attrs = {
        "proto": attr.label(mandatory = True, providers = [ProtoInfo]),
        "plugin": attr.string(default = "/usr/bin/grpc_cpp_plugin"),
        "_protoc": attr.label(
            default = "@com_google_protobuf//:protoc",
            executable = True,
            cfg = "host",
        ),
    },
)

def cc_grpc_library(name, proto_dep, cc_proto_dep, deps = [], visibility = None):
    """proto_dep: the proto_library whose services get stubs; cc_proto_dep: its
    cc_proto_library, whose messages the stubs use."""
    _grpc_stubs(name = name + "_gen", proto = proto_dep)
    native.filegroup(name = name + "_hdrs", srcs = [name + "_gen"], output_group = "headers")
    native.filegroup(name = name + "_srcs", srcs = [name + "_gen"], output_group = "sources")
    native.cc_library(
        name = name,
        srcs = [name + "_srcs"],
        hdrs = [name + "_hdrs"],
        deps = [cc_proto_dep, "@system//:grpc"] + deps,
        visibility = visibility,
    )
