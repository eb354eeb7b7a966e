#include "framebridge/app/server/access_token.hpp"

#include "support/unique_name.hpp"

#include <gtest/gtest.h>
#include <filesystem>
#ifndef _WIN32
#include <unistd.h>
#endif
#include <fstream>
#include <stdexcept>

using namespace framebridge::app;
namespace fs = std::filesystem;

TEST(TokensMatch, onlyTheSameBytesMatch) {
    EXPECT_TRUE(tokens_match("open-sesame", "open-sesame"));
    EXPECT_FALSE(tokens_match("open-sesamE", "open-sesame"));
    EXPECT_FALSE(tokens_match("Open-sesame", "open-sesame"));
    EXPECT_FALSE(tokens_match("open", "open-sesame")) << "a prefix";
    EXPECT_FALSE(tokens_match("open-sesame-open-sesame", "open-sesame")) << "a repeat";
    EXPECT_FALSE(tokens_match("", "open-sesame"));
    EXPECT_FALSE(tokens_match("", "")) << "no token set means nothing matches";
}

TEST(ValidateToken, refusesEmptyOverlongAndControlCharactersWithoutQuotingTheToken) {
    EXPECT_NO_THROW(validate_token("s3cret!", "--token"));
    EXPECT_THROW(validate_token("", "--token"), std::invalid_argument);
    EXPECT_THROW(validate_token(std::string(257, 'k'), "--token"), std::invalid_argument);
    try {
        validate_token("bad\ttoken", "--token");
        FAIL() << "a tab was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()).find("bad"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("--token"), std::string::npos) << e.what();
    }
}

class TokenFile : public ::testing::Test {
protected:
    ~TokenFile() override { fs::remove(path); }

    void write(const std::string& text, fs::perms mode) {
        std::ofstream(path) << text;
        fs::permissions(path, mode);
    }

    void expect_refused_saying(const std::string& needle) {
        try {
            read_token_file(path.string());
            FAIL() << "accepted; expected an error saying '" << needle << "'";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    }

    const fs::path path =
        fs::temp_directory_path() / (framebridge::test::unique_stream_name() + ".token");
};

TEST_F(TokenFile, theFirstLineWithoutTrailingSpaceIsTheToken) {
    write("s3cret \r\nsecond line\n", fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_EQ(read_token_file(path.string()), "s3cret");
}

TEST_F(TokenFile, anEmptyOrMissingFileIsRefused) {
    write("\n", fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_THROW(read_token_file(path.string()), std::invalid_argument);
    fs::remove(path);
    EXPECT_THROW(read_token_file(path.string()), std::invalid_argument);
}

// Who may read or change the file is POSIX's mode and owner; Windows' ACLs are not checked.
#ifndef _WIN32
TEST_F(TokenFile, aFileOthersCanReadIsRefusedWithTheFix) {
    write("s3cret\n", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                          fs::perms::others_read);
    expect_refused_saying("chmod 600 " + path.string());
}

TEST_F(TokenFile, aFileOthersCanChangeIsRefusedSayingSo) {
    write("s3cret\n", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_write);
    expect_refused_saying("can be changed by other users");
}

TEST_F(TokenFile, aFileOfAnotherUserIsRefused) {
    write("s3cret\n", fs::perms::owner_read | fs::perms::owner_write);
    if (::chown(path.c_str(), 65534, 65534) != 0) {
        GTEST_SKIP() << "only root can give the file to another user here";
    }
    expect_refused_saying("belongs to user 65534");
}
#endif
