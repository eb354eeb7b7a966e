// The trap FrameBridge was born from: on Windows, Boost.Interprocess shared_memory_object is
// emulated with a file in a Boost folder, so no other program can open it by name, and
// Python's mmap(-1, size, tagname=NAME) silently makes a new, empty mapping instead. What
// SharedSegment makes must be the other thing: a named mapping OpenFileMapping finds.

// Boost names its folder for these files after the boot time, read from the event log, which
// Wine does not have; the folder does not change what the object is, so it gets a plain one.
#define BOOST_INTERPROCESS_SHARED_DIR_FUNC

#include "framebridge/shm/frame_ring.hpp"

#include "support/unique_name.hpp"
#include "windows/cpython_mmap.hpp"

#include <gtest/gtest.h>
#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <cstring>

namespace boost::interprocess::ipcdetail {

void get_shared_dir(std::string& shared_dir) {
    char temp[MAX_PATH + 1];
    const DWORD length = ::GetTempPathA(sizeof temp, temp);
    shared_dir = std::string(temp, length) + "framebridge-old-way";
    ::CreateDirectoryA(shared_dir.c_str(), nullptr);
}

}  // namespace boost::interprocess::ipcdetail

namespace bip = boost::interprocess;
using namespace framebridge::shm;
using framebridge::test::CPythonMmap;
using framebridge::test::mapping_is_visible;
using framebridge::test::unique_stream_name;

namespace {

class OldWayTest : public ::testing::Test {
protected:
    // Wine gives a test program the same pid every run, so a file an earlier run left (Boost's
    // remove() does not delete it under Wine) may have this name: delete it both ways.
    void SetUp() override { remove_file(); }
    void TearDown() override { remove_file(); }

    std::string file_path() const {
        std::string path;
        bip::ipcdetail::get_shared_dir(path);
        return path + "/" + name;
    }
    void remove_file() const {
        bip::shared_memory_object::remove(name.c_str());
        ::DeleteFileA(file_path().c_str());
    }

    const std::string name = unique_stream_name();
};

}  // namespace

TEST_F(OldWayTest, aBoostSharedMemoryObjectIsInvisibleToOpenFileMapping) {
    bip::shared_memory_object old_way(bip::create_only, name.c_str(), bip::read_write);
    old_way.truncate(4096);
    const bip::mapped_region region(old_way, bip::read_write);
    std::memcpy(region.get_address(), "FRAMEBRG", 8);

    EXPECT_NE(::GetFileAttributesA(file_path().c_str()), INVALID_FILE_ATTRIBUTES)
        << "no file " << file_path();

    EXPECT_FALSE(mapping_is_visible("Local\\" + name));
    EXPECT_FALSE(mapping_is_visible("Global\\" + name));
    EXPECT_FALSE(mapping_is_visible(name));
    // What a Python client of such a stream gets: a fresh mapping full of zeros.
    const CPythonMmap python(name, 4096);
    EXPECT_FALSE(python.existed());
    EXPECT_NE(std::memcmp(python.data(), "FRAMEBRG", 8), 0);
}

TEST_F(OldWayTest, whatFrameBridgeCreatesIsVisibleToOpenFileMapping) {
    const FrameRing ring = FrameRing::create(name, 3, 4096);
    EXPECT_TRUE(mapping_is_visible(ring.name()));
    const CPythonMmap python(ring.name(), ring.header().segment_size);
    EXPECT_TRUE(python.existed());
    EXPECT_EQ(std::memcmp(python.data(), "FRAMEBRG", 8), 0);
}
