// --listen, --token and --token-file: any address but loopback needs a token.
#include "framebridge/app/cli/server_options.hpp"

#include "support/unique_name.hpp"

#include <gtest/gtest.h>
#include <filesystem>
#include <fstream>
#include <vector>

using namespace framebridge::app;
namespace fs = std::filesystem;

namespace {

ParsedOptions parse(std::vector<const char*> args) {
    args.insert(args.begin(), "framebridge-server");
    return parse_server_options(static_cast<int>(args.size()), args.data());
}

void expect_refused(const std::vector<const char*>& args, const std::string& needle) {
    const auto parsed = parse(args);
    EXPECT_FALSE(parsed.options);
    EXPECT_EQ(parsed.exit_code, 2);
    EXPECT_NE(parsed.message.find(needle), std::string::npos)
        << "'" << needle << "' not in: " << parsed.message;
}

}  // namespace

TEST(AccessOptions, loopbackAddressesNeedNoToken) {
    for (const char* address : {"127.0.0.1", "127.0.0.2", "::1"}) {
        const auto parsed = parse({"--listen", address});
        ASSERT_TRUE(parsed.options) << address << ": " << parsed.message;
        EXPECT_EQ(parsed.options->pipeline.listen_address, address);
        EXPECT_EQ(parsed.options->pipeline.token, "");
    }
}

TEST(AccessOptions, anyOtherAddressWithoutATokenIsRefusedWithTheFix) {
    expect_refused({"--listen", "0.0.0.0"}, "--token-file");
    expect_refused({"--listen", "192.0.2.7"}, "192.0.2.7");
    expect_refused({"--listen", "::"}, "--token");
}

TEST(AccessOptions, aTokenOpensOtherAddresses) {
    const auto parsed = parse({"--listen", "0.0.0.0", "--token", "s3cret"});
    ASSERT_TRUE(parsed.options) << parsed.message;
    EXPECT_EQ(parsed.options->pipeline.listen_address, "0.0.0.0");
    EXPECT_EQ(parsed.options->pipeline.token, "s3cret");
}

TEST(AccessOptions, aTokenOnLoopbackIsAskedForToo) {
    const auto parsed = parse({"--token", "s3cret"});
    ASSERT_TRUE(parsed.options) << parsed.message;
    EXPECT_EQ(parsed.options->pipeline.token, "s3cret");
}

TEST(AccessOptions, badAddressesAndTokensAreNamed) {
    expect_refused({"--listen", "localhost"}, "'localhost' is not an IP address");
    expect_refused({"--token", ""}, "empty");
    expect_refused({"--token", "a b\tc"}, "control character");
}

TEST(AccessOptions, anEmptyTokenFilePathIsAnErrorNotNoToken) {
    expect_refused({"--token-file", ""}, "cannot read token file ''");
}

TEST(AccessOptions, tokenAndTokenFileExcludeEachOther) {
    expect_refused({"--token", "a", "--token-file", "/nonexistent"}, "exclude");
}

TEST(AccessOptions, theTokenFileIsRead) {
    const fs::path path =
        fs::temp_directory_path() / (framebridge::test::unique_stream_name() + ".token");
    std::ofstream(path) << "from-a-file\n";
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    const std::string path_text = path.string();
    const auto parsed = parse({"--listen", "0.0.0.0", "--token-file", path_text.c_str()});
    fs::remove(path);
    ASSERT_TRUE(parsed.options) << parsed.message;
    EXPECT_EQ(parsed.options->pipeline.token, "from-a-file");
    expect_refused({"--token-file", path_text.c_str()}, "cannot read token file");
}
