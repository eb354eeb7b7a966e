#pragma once
// The platform seam: a named, mapped block of shared memory and nothing more.
// segment_posix.cpp implements it with POSIX shared memory, segment_windows.cpp with
// Windows named file mappings (docs/windows.md: Local\NAME, generations, the claim).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace framebridge::shm {

/// @brief A segment operation failed; `reason()` says which way, what() says it for a person.
class SegmentError : public std::runtime_error {
public:
    enum class Reason { AlreadyExists, NotFound, InUse, NoSpace, NotFrameBridge, System };

    SegmentError(Reason reason, const std::string& message)
        : std::runtime_error(message), reason_(reason) {}

    Reason reason() const noexcept { return reason_; }

private:
    Reason reason_;
};

/// @brief A mapped named segment. Move-only; unmaps on destruction but never removes the name.
class SharedSegment {
public:
    /// @brief Creates `name` exclusively (owner read/write only), `size` bytes, its pages reserved.
    /// Throws SegmentError (AlreadyExists, NoSpace, System). Windows: never AlreadyExists; InUse
    /// while a live process serves `name`, and a mapping a client of an earlier server still
    /// holds makes it take the next generation (name() says which).
    static SharedSegment create(const std::string& name, std::uint64_t size);

    /// @brief Maps an existing segment, writable only if `writable`. Throws SegmentError (NotFound,
    /// System).
    static SharedSegment open(const std::string& name, bool writable);

    /// @brief Removes the name; mappings already made stay valid. False when there was nothing to
    /// remove. Windows has nothing to unlink (a mapping goes with its last handle): there it gives
    /// up this process's claim on the stream when `name` is the ring it serves, so that a new
    /// segment can take the stream, on the next generation.
    static bool remove(const std::string& name) noexcept;

    /// @brief Where a person finds the segment on this platform, e.g. "/dev/shm/NAME".
    static std::string location(const std::string& name);

    SharedSegment(SharedSegment&&) noexcept;
    SharedSegment& operator=(SharedSegment&&) noexcept;
    ~SharedSegment();

    std::byte* data() const noexcept;
    std::uint64_t size() const noexcept;
    /// @brief The name a client opens: the stream name on Linux, the mapping's full name on
    /// Windows (e.g. "Local\\NAME" or "Local\\NAME@1").
    const std::string& name() const noexcept;

private:
    struct Impl;
    explicit SharedSegment(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// @brief Throws std::invalid_argument unless `name` is 1..30 of [A-Za-z0-9._-], not starting with
/// '.'.
void validate_segment_name(const std::string& name);

/// @brief This process's id.
std::uint32_t current_process_id() noexcept;

/// @brief True while a process with this id exists (even one we may not signal).
bool process_is_alive(std::uint32_t pid) noexcept;

}  // namespace framebridge::shm
