// Copyright 2026 The Thrombo Authors.
// deploy/kubernetes/thrombo.yaml against the binary it deploys: the probe paths are routes the
// real HTTP API answers 200, the ports are the binary's defaults (or the flags the manifest
// passes), every flag the manifest passes is one `thrombo` knows, HTTPS probes go with TLS
// flags, and the Service and PodDisruptionBudget select the Deployment's pods.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/cds/http_api.h"
#include "service/http/endpoints.h"
#include "service/http/metrics.h"
#include "service/http/router.h"
#include "tests/deploy/yaml_subset.h"

namespace thrombo::deploy {
namespace {

using ::testing::HasSubstr;
using YamlKind = YamlNode::Kind;

std::string Runfile(const std::string& path) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (srcdir == nullptr || workspace == nullptr) return path;
  return absl::StrCat(srcdir, "/", workspace, "/", path);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The value of "--name=value" among `args`, or "" when the flag is absent.
std::string FlagValue(const std::vector<std::string>& args, const std::string& name) {
  const std::string prefix = absl::StrCat("--", name, "=");
  for (const std::string& arg : args) {
    if (absl::StartsWith(arg, prefix)) return arg.substr(prefix.size());
  }
  return "";
}

class ManifestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string text = ReadFile(Runfile("deploy/kubernetes/thrombo.yaml"));
    ASSERT_FALSE(text.empty()) << "deploy/kubernetes/thrombo.yaml is missing or empty";
    absl::StatusOr<std::vector<YamlNode>> documents = ParseYamlDocuments(text);
    ASSERT_TRUE(documents.ok()) << documents.status();
    documents_ = *std::move(documents);
    for (const YamlNode& document : documents_) {
      const std::string kind = document.Text("kind");
      ASSERT_EQ(by_kind_.count(kind), 0u) << "two documents of kind " << kind;
      by_kind_[kind] = &document;
    }
    for (const char* kind : {"Deployment", "Service", "PodDisruptionBudget"}) {
      ASSERT_EQ(by_kind_.count(kind), 1u) << "no " << kind << " in the manifest";
    }
    const YamlNode* containers = Deployment().At("spec.template.spec.containers");
    ASSERT_NE(containers, nullptr);
    ASSERT_EQ(containers->kind, YamlKind::kSequence);
    ASSERT_EQ(containers->sequence.size(), 1u);
    container_ = &containers->sequence[0];
    const YamlNode* args = container_->Find("args");
    ASSERT_NE(args, nullptr);
    for (const YamlNode& arg : args->sequence) args_.push_back(arg.scalar);
    ASSERT_FALSE(args_.empty());
  }

  const YamlNode& Deployment() const { return *by_kind_.at("Deployment"); }

  // The containerPort named `name`, or -1.
  int ContainerPort(const std::string& name) const {
    const YamlNode* ports = container_->Find("ports");
    if (ports == nullptr) return -1;
    for (const YamlNode& port : ports->sequence) {
      int number = 0;
      if (port.Text("name") == name && absl::SimpleAtoi(port.Text("containerPort"), &number)) {
        return number;
      }
    }
    return -1;
  }

  // The port the binary listens on for `flag` when run with the manifest's args.
  int ServedPort(const std::string& flag, uint16_t default_port) const {
    const std::string value = FlagValue(args_, flag);
    int port = default_port;
    if (!value.empty()) EXPECT_TRUE(absl::SimpleAtoi(value, &port)) << "--" << flag << "=" << value;
    return port;
  }

  // The container port number a probe's `port` (a name or a number) refers to.
  int ProbePort(const std::string& probe) const {
    const std::string port = container_->Text(absl::StrCat(probe, ".httpGet.port"));
    int number = 0;
    return absl::SimpleAtoi(port, &number) ? number : ContainerPort(port);
  }

  std::vector<YamlNode> documents_;
  std::map<std::string, const YamlNode*> by_kind_;
  const YamlNode* container_ = nullptr;
  std::vector<std::string> args_;
};

TEST_F(ManifestTest, ProbesUseTheBinarysHealthAndReadinessPaths) {
  EXPECT_EQ(container_->Text("livenessProbe.httpGet.path"), service::http::kHealthzPath);
  EXPECT_EQ(container_->Text("readinessProbe.httpGet.path"), service::http::kReadyzPath);
}

// The paths above are only worth checking if the binary really answers them: build the real
// HTTP API's router (as `thrombo serve` does) and call both.
TEST_F(ManifestTest, TheProbePathsAreRoutesTheHttpApiAnswers) {
  service::http::MetricsRegistry registry;
  service::HttpApiDeps deps;
  deps.registry = &registry;
  absl::StatusOr<service::http::Router> router = service::BuildHttpApi(deps, {});
  ASSERT_TRUE(router.ok()) << router.status();
  for (const std::string path : {container_->Text("livenessProbe.httpGet.path"),
                                 container_->Text("readinessProbe.httpGet.path")}) {
    service::http::Request request;
    request.method = "GET";
    request.path = path;
    request.target = path;
    std::string route;
    const service::http::Response response = router->Dispatch(&request, &route);
    EXPECT_EQ(response.status, 200) << path << ": " << response.body;
    EXPECT_EQ(route, path);
  }
}

TEST_F(ManifestTest, ContainerPortsAreThePortsTheBinaryListensOn) {
  EXPECT_EQ(ContainerPort("http"), ServedPort("http_port", service::http::kDefaultHttpPort));
  EXPECT_EQ(ContainerPort("grpc"), ServedPort("grpc_port", service::http::kDefaultGrpcPort));
  EXPECT_EQ(ProbePort("livenessProbe"), ContainerPort("http"));
  EXPECT_EQ(ProbePort("readinessProbe"), ContainerPort("http"));
  // 127.0.0.1 (the default) would be unreachable from the kubelet and the Service.
  EXPECT_EQ(FlagValue(args_, "listen"), "0.0.0.0");
}

TEST_F(ManifestTest, ProbesSpeakHttpsExactlyWhenTheBinaryServesTls) {
  const bool tls = !FlagValue(args_, "tls_cert_file").empty();
  EXPECT_EQ(tls, !FlagValue(args_, "tls_key_file").empty());
  const std::string scheme = tls ? "HTTPS" : "HTTP";
  EXPECT_EQ(container_->Text("livenessProbe.httpGet.scheme"), scheme);
  EXPECT_EQ(container_->Text("readinessProbe.httpGet.scheme"), scheme);
  if (!tls) return;
  // The certificate and key live on a mounted volume.
  const YamlNode* mounts = container_->Find("volumeMounts");
  ASSERT_NE(mounts, nullptr);
  for (const char* flag : {"tls_cert_file", "tls_key_file"}) {
    bool mounted = false;
    for (const YamlNode& mount : mounts->sequence) {
      const std::string dir = mount.Text("mountPath");
      mounted |= !dir.empty() && absl::StartsWith(FlagValue(args_, flag), dir + "/");
    }
    EXPECT_TRUE(mounted) << "--" << flag << " is not under any volumeMount";
  }
}

// Every flag the manifest passes must be one the binary defines: `thrombo --helpfull` lists
// them (absl flags), and an unknown flag would make every pod crash-loop at start.
TEST_F(ManifestTest, EveryFlagIsOneTheBinaryDefines) {
  EXPECT_EQ(args_[0], "serve");
  const std::string binary = Runfile("service/thrombo");
  FILE* pipe = ::popen(absl::StrCat(binary, " --helpfull 2>&1").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string help;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0;) help.append(buffer, n);
  ::pclose(pipe);
  ASSERT_TRUE(absl::StrContains(help, "--http_port")) << help;  // the listing worked at all
  for (size_t i = 1; i < args_.size(); ++i) {
    ASSERT_TRUE(absl::StartsWith(args_[i], "--")) << args_[i];
    const std::string name = args_[i].substr(2, args_[i].find('=') - 2);
    EXPECT_TRUE(absl::StrContains(help, absl::StrCat("--", name, " ")))
        << "the manifest passes --" << name << ", which `thrombo` does not define";
  }
}

TEST_F(ManifestTest, ServiceAndDisruptionBudgetSelectTheDeploymentsPods) {
  const YamlNode* labels = Deployment().At("spec.template.metadata.labels");
  const YamlNode* match = Deployment().At("spec.selector.matchLabels");
  ASSERT_NE(labels, nullptr);
  ASSERT_NE(match, nullptr);
  auto selects_pods = [labels](const YamlNode* selector) {
    if (selector == nullptr || selector->map.empty()) return false;
    for (const auto& [key, value] : selector->map) {
      const YamlNode* label = labels->Find(key);
      if (label == nullptr || label->scalar != value.scalar) return false;
    }
    return true;
  };
  EXPECT_TRUE(selects_pods(match));
  EXPECT_TRUE(selects_pods(by_kind_.at("Service")->At("spec.selector")));
  EXPECT_TRUE(selects_pods(by_kind_.at("PodDisruptionBudget")->At("spec.selector.matchLabels")));
  // Each Service port targets a named container port.
  const YamlNode* ports = by_kind_.at("Service")->At("spec.ports");
  ASSERT_NE(ports, nullptr);
  for (const YamlNode& port : ports->sequence) {
    EXPECT_GT(ContainerPort(port.Text("targetPort")), 0) << port.Text("targetPort");
  }
}

// A budget that allows no disruption blocks every node drain; one that allows all of them
// protects nothing.
TEST_F(ManifestTest, DisruptionBudgetKeepsAReplicaAndAllowsADrain) {
  int replicas = 0;
  ASSERT_TRUE(absl::SimpleAtoi(Deployment().Text("spec.replicas"), &replicas));
  EXPECT_GE(replicas, 2);
  const YamlNode& budget = *by_kind_.at("PodDisruptionBudget");
  int allowed_down = 0;
  if (int max_unavailable = 0;
      absl::SimpleAtoi(budget.Text("spec.maxUnavailable"), &max_unavailable)) {
    allowed_down = max_unavailable;
  } else if (int min_available = 0;
             absl::SimpleAtoi(budget.Text("spec.minAvailable"), &min_available)) {
    allowed_down = replicas - min_available;
  } else {
    FAIL() << "the PodDisruptionBudget sets neither maxUnavailable nor minAvailable as a number";
  }
  EXPECT_GE(allowed_down, 1);
  EXPECT_LT(allowed_down, replicas);
}

TEST(YamlSubsetTest, ReadsMapsSequencesOfMapsScalarsAndDocuments) {
  absl::StatusOr<std::vector<YamlNode>> documents = ParseYamlDocuments(
      "a: 1  # comment\n"
      "b:\n"
      "  c: \"quoted # not a comment\"\n"
      "  list:\n"
      "    - x\n"
      "    - name: y\n"
      "      port: 2\n"
      "  same_indent:\n"
      "  - z\n"
      "---\n"
      "kind: Second\n"
      "empty: []\n");
  ASSERT_TRUE(documents.ok()) << documents.status();
  ASSERT_EQ(documents->size(), 2u);
  const YamlNode& first = (*documents)[0];
  EXPECT_EQ(first.Text("a"), "1");
  EXPECT_EQ(first.Text("b.c"), "quoted # not a comment");
  const YamlNode* list = first.At("b.list");
  ASSERT_NE(list, nullptr);
  ASSERT_EQ(list->sequence.size(), 2u);
  EXPECT_EQ(list->sequence[0].scalar, "x");
  EXPECT_EQ(list->sequence[1].Text("name"), "y");
  EXPECT_EQ(list->sequence[1].Text("port"), "2");
  ASSERT_NE(first.At("b.same_indent"), nullptr);
  EXPECT_EQ(first.At("b.same_indent")->sequence.size(), 1u);
  EXPECT_EQ((*documents)[1].Text("kind"), "Second");
  EXPECT_EQ((*documents)[1].At("empty")->kind, YamlKind::kSequence);
}

TEST(YamlSubsetTest, RefusesWhatItCannotReadNamingTheLine) {
  for (const char* text : {"a: [1, 2]\n", "a: &anchor 1\n", "a: |\n  text\n", "a: 1\na: 2\n",
                           "a:\n    b: 1\n  c: 2\n", "just text\n"}) {
    absl::StatusOr<std::vector<YamlNode>> documents = ParseYamlDocuments(text);
    EXPECT_FALSE(documents.ok()) << text;
    EXPECT_THAT(std::string(documents.status().message()), HasSubstr("line ")) << text;
  }
}

}  // namespace
}  // namespace thrombo::deploy
