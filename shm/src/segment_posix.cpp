#include "framebridge/shm/shared_segment.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace framebridge::shm {
namespace bip = boost::interprocess;

namespace {

constexpr mode_t OWNER_ONLY = 0600;

std::string mebibytes(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
    return text;
}

std::uint64_t shm_bytes_free() noexcept {
    struct statvfs fs {};
    if (::statvfs("/dev/shm", &fs) != 0) {
        return 0;
    }
    return std::uint64_t{fs.f_bavail} * fs.f_frsize;
}

// tmpfs accepts any ftruncate and only fails on the first write past its space, with
// SIGBUS; reserving every page now turns that into an error while it can still be reported.
void reserve_pages(int fd, const std::string& name, std::uint64_t size) {
    const int err = ::posix_fallocate(fd, 0, static_cast<off_t>(size));
    if (err == ENOSPC) {
        throw SegmentError(SegmentError::Reason::NoSpace,
                           "not enough shared memory for stream '" + name + "': it needs " +
                               mebibytes(size) + " and /dev/shm has " +
                               mebibytes(shm_bytes_free()) +
                               " free; use fewer --slots, a smaller --size, or a larger /dev/shm");
    }
    if (err != 0) {
        throw SegmentError(SegmentError::Reason::System, "cannot reserve " + mebibytes(size) +
                                                             " for stream '" + name +
                                                             "': " + std::strerror(err));
    }
}

}  // namespace

struct SharedSegment::Impl {
    std::string name;
    bip::mapped_region region;
};

SharedSegment SharedSegment::create(const std::string& name, std::uint64_t size) {
    validate_segment_name(name);
    bip::permissions owner_only;
    owner_only.set_permissions(OWNER_ONLY);
    try {
        bip::shared_memory_object object(bip::create_only, name.c_str(), bip::read_write,
                                         owner_only);
        try {
            const int fd = object.get_mapping_handle().handle;
            // The process umask must not widen or narrow what the contract says.
            ::fchmod(fd, OWNER_ONLY);
            object.truncate(static_cast<bip::offset_t>(size));
            reserve_pages(fd, name, size);
            bip::mapped_region region(object, bip::read_write);
            return SharedSegment(std::make_unique<Impl>(Impl{name, std::move(region)}));
        } catch (...) {
            bip::shared_memory_object::remove(name.c_str());
            throw;
        }
    } catch (const bip::interprocess_exception& e) {
        if (e.get_error_code() == bip::already_exists_error) {
            throw SegmentError(SegmentError::Reason::AlreadyExists,
                               location(name) + " already exists");
        }
        throw SegmentError(SegmentError::Reason::System,
                           "cannot create " + location(name) + ": " + e.what());
    }
}

SharedSegment SharedSegment::open(const std::string& name, bool writable) {
    validate_segment_name(name);
    const auto mode = writable ? bip::read_write : bip::read_only;
    try {
        bip::shared_memory_object object(bip::open_only, name.c_str(), mode);
        bip::mapped_region region(object, mode);
        return SharedSegment(std::make_unique<Impl>(Impl{name, std::move(region)}));
    } catch (const bip::interprocess_exception& e) {
        if (e.get_error_code() == bip::not_found_error) {
            throw SegmentError(SegmentError::Reason::NotFound, location(name) + " does not exist");
        }
        throw SegmentError(SegmentError::Reason::System,
                           "cannot open " + location(name) + ": " + e.what());
    }
}

bool SharedSegment::remove(const std::string& name) noexcept {
    return bip::shared_memory_object::remove(name.c_str());
}

std::string SharedSegment::location(const std::string& name) {
    return "/dev/shm/" + name;
}

SharedSegment::SharedSegment(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SharedSegment::SharedSegment(SharedSegment&&) noexcept = default;
SharedSegment& SharedSegment::operator=(SharedSegment&&) noexcept = default;
SharedSegment::~SharedSegment() = default;

std::byte* SharedSegment::data() const noexcept {
    return static_cast<std::byte*>(impl_->region.get_address());
}

std::uint64_t SharedSegment::size() const noexcept {
    return impl_->region.get_size();
}

const std::string& SharedSegment::name() const noexcept {
    return impl_->name;
}

std::uint32_t current_process_id() noexcept {
    return static_cast<std::uint32_t>(::getpid());
}

bool process_is_alive(std::uint32_t pid) noexcept {
    if (pid == 0) {
        return false;
    }
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace framebridge::shm
