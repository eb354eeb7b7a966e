// The Windows side of the platform seam (shared_segment.hpp): native named file mappings, the
// objects Python's mmap.mmap(-1, size, tagname=NAME) opens. Never Boost's
// shared_memory_object: on Windows that is a file in a Boost folder that no other program finds
// by name. docs/windows.md tells the same for people.
//
// Names, for a stream NAME in the namespace NS (Local, or Global when the name starts so):
//   NS\NAME@owner   the claim: one page the serving process holds for as long as it serves NAME,
//                   recording its pid and the generation it serves. Windows destroys it with
//                   its last handle, so with the process however that ends: whether a server
//                   serves NAME never rests on a process id, which Windows reuses quickly.
//                   remove() gives it up early, for a new ring to take the stream.
//   NS\NAME         the ring, generation 0,
//   NS\NAME@1, ...  and later generations. A mapping lives while anyone holds a handle on it and
//                   there is nothing to unlink, so while a client still maps the ring of a
//                   server that is gone, the next server cannot have that name: it takes the
//                   next free one, and WELCOME carries it to clients. Stream names cannot
//                   contain '@', so none of these collide with another stream's.

#include "framebridge/shm/segment_layout.hpp"
#include "framebridge/shm/shared_segment.hpp"

#include <windows.h>
#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/windows_shared_memory.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace framebridge::shm {
namespace bip = boost::interprocess;

namespace {

constexpr std::uint32_t MAX_GENERATIONS = 64;
constexpr std::size_t CLAIM_BYTES = 4096;
constexpr char GENERATION_MARK = '@';
constexpr int CLAIM_ATTEMPTS = 50;
constexpr std::chrono::milliseconds CLAIM_RETRY{20};

std::string megabytes(std::uint64_t bytes) {
    return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MB";
}

// A stream's name split into its parts: "Global\cam@2" is {"Global", "cam", 2}.
struct ObjectName {
    std::string space = "Local";
    std::string stream;
    std::optional<std::uint32_t> generation;

    std::string ring(std::uint32_t g) const {
        const std::string base = space + "\\" + stream;
        return g == 0 ? base : base + GENERATION_MARK + std::to_string(g);
    }
    std::string claim() const { return space + "\\" + stream + GENERATION_MARK + "owner"; }
};

// Accepts what validate_segment_name accepts, and the names SharedSegment::name() returns.
ObjectName parse_name(const std::string& name) {
    ObjectName parsed;
    std::string rest = name;
    if (const auto slash = rest.find('\\'); slash != std::string::npos) {
        parsed.space = rest.substr(0, slash);
        rest.erase(0, slash + 1);
    }
    if (const auto mark = rest.rfind(GENERATION_MARK); mark != std::string::npos) {
        const std::string digits = rest.substr(mark + 1);
        const bool numeric = !digits.empty() && digits.size() <= 2 && digits.front() != '0' &&
                             digits.find_first_not_of("0123456789") == std::string::npos;
        if (!numeric || std::stoul(digits) >= MAX_GENERATIONS) {
            throw std::invalid_argument("'" + name + "' is not a FrameBridge stream mapping name");
        }
        parsed.generation = static_cast<std::uint32_t>(std::stoul(digits));
        rest.erase(mark);
    }
    parsed.stream = rest;
    validate_segment_name(parsed.space + "\\" + parsed.stream);
    return parsed;
}

// A named mapping and one view of all of it. The handle is kept, not only the view: a
// mapping's name goes when its last handle closes, and clients find the ring by that name.
// (Held by pointer: moving a windows_shared_memory reads a member it never set.)
struct Mapping {
    std::unique_ptr<bip::windows_shared_memory> object;
    bip::mapped_region view;
};

Mapping create_mapping(const std::string& object_name, std::uint64_t size) {
    auto object = std::make_unique<bip::windows_shared_memory>(
        bip::create_only, object_name.c_str(), bip::read_write, static_cast<std::size_t>(size));
    bip::mapped_region view(*object, bip::read_write);
    return Mapping{std::move(object), std::move(view)};
}

Mapping open_mapping(const std::string& object_name, bip::mode_t mode) {
    auto object =
        std::make_unique<bip::windows_shared_memory>(bip::open_only, object_name.c_str(), mode);
    bip::mapped_region view(*object, mode);
    return Mapping{std::move(object), std::move(view)};
}

bool out_of_memory(const bip::interprocess_exception& e) {
    switch (e.get_native_error()) {
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
    case ERROR_COMMITMENT_LIMIT:
    case ERROR_NO_SYSTEM_RESOURCES:
    case ERROR_DISK_FULL:
        return true;
    default:
        return false;
    }
}

// The claim's one word: (pid << 32) | (generation + 1), 0 until the ring exists.
SharedU64& claim_word(const Mapping& claim) {
    return *static_cast<SharedU64*>(claim.view.get_address());
}

struct ClaimRecord {
    std::uint32_t pid = 0;
    std::uint32_t generation = 0;
};

// What the claim on `name` says, if someone holds it and has recorded a generation.
std::optional<ClaimRecord> read_claim(const ObjectName& name) {
    try {
        const Mapping claim = open_mapping(name.claim(), bip::read_only);
        const std::uint64_t word = claim_word(claim).load(std::memory_order_acquire);
        if (word == 0) {
            return std::nullopt;
        }
        return ClaimRecord{static_cast<std::uint32_t>(word >> 32),
                           static_cast<std::uint32_t>(word & 0xffffffffu) - 1};
    } catch (const bip::interprocess_exception&) {
        return std::nullopt;
    }
}

Mapping take_claim(const ObjectName& name) {
    for (int attempt = 1;; ++attempt) {
        try {
            return create_mapping(name.claim(), CLAIM_BYTES);
        } catch (const bip::interprocess_exception& e) {
            if (e.get_error_code() != bip::already_exists_error) {
                throw SegmentError(SegmentError::Reason::System,
                                   "cannot create " + name.claim() + ": " + e.what());
            }
        }
        // Held: by a live server, or for an instant by a process reading it (see read_claim).
        const auto holder = read_claim(name);
        if (holder && process_is_alive(holder->pid)) {
            throw SegmentError(SegmentError::Reason::InUse,
                               "stream '" + name.stream + "' is already served by process " +
                                   std::to_string(holder->pid) +
                                   "; stop that server or choose another --name");
        }
        if (attempt == CLAIM_ATTEMPTS) {
            throw SegmentError(SegmentError::Reason::InUse,
                               "stream '" + name.stream + "' is held by a server that is " +
                                   "starting or stopping (" + name.claim() + " exists); try again");
        }
        std::this_thread::sleep_for(CLAIM_RETRY);
    }
}

// The claims this process holds, by claim name, with the name of the ring each was taken for:
// remove() gives one up while its ring lives on, so that a new ring can take the stream (on the
// next generation), as a source switch does.
struct HeldClaim {
    std::string ring_name;
    std::optional<Mapping>* claim = nullptr;
};
std::mutex held_claims_mutex;
std::map<std::string, HeldClaim> held_claims;

}  // namespace

struct SharedSegment::Impl {
    Impl(std::string ring_name, std::string taken_claim_name, std::optional<Mapping> taken_claim,
         Mapping mapped_ring)
        : name(std::move(ring_name)),
          claim_name(std::move(taken_claim_name)),
          claim(std::move(taken_claim)),
          ring(std::move(mapped_ring)) {
        if (claim) {
            const std::lock_guard lock(held_claims_mutex);
            held_claims[claim_name] = HeldClaim{name, &claim};
        }
    }
    ~Impl() {
        const std::lock_guard lock(held_claims_mutex);
        const auto held = held_claims.find(claim_name);
        if (held != held_claims.end() && held->second.claim == &claim) {
            held_claims.erase(held);
        }
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    std::string name;
    std::string claim_name;
    std::optional<Mapping> claim;  // the creator's, until remove(); goes after the ring
    Mapping ring;
};

SharedSegment SharedSegment::create(const std::string& name, std::uint64_t size) {
    validate_segment_name(name);
    const ObjectName parsed = parse_name(name);
    Mapping claim = take_claim(parsed);
    for (std::uint32_t generation = 0; generation < MAX_GENERATIONS; ++generation) {
        const std::string object_name = parsed.ring(generation);
        try {
            Mapping ring = create_mapping(object_name, size);
            claim_word(claim).store((std::uint64_t{current_process_id()} << 32) | (generation + 1),
                                    std::memory_order_release);
            return SharedSegment(std::make_unique<Impl>(object_name, parsed.claim(),
                                                        std::move(claim), std::move(ring)));
        } catch (const bip::interprocess_exception& e) {
            if (e.get_error_code() == bip::already_exists_error) {
                continue;  // an earlier server's ring, still mapped by a client of it
            }
            if (out_of_memory(e)) {
                throw SegmentError(SegmentError::Reason::NoSpace,
                                   "not enough memory for stream '" + parsed.stream +
                                       "': it needs " + megabytes(size) +
                                       " of RAM and page file; use fewer --slots or a "
                                       "smaller --size");
            }
            throw SegmentError(SegmentError::Reason::System,
                               "cannot create " + object_name + ": " + e.what());
        }
    }
    throw SegmentError(SegmentError::Reason::InUse, "clients of earlier servers still map all " +
                                                        std::to_string(MAX_GENERATIONS) +
                                                        " generations of stream '" + parsed.stream +
                                                        "'; close them or choose another --name");
}

SharedSegment SharedSegment::open(const std::string& name, bool writable) {
    const ObjectName parsed = parse_name(name);
    std::uint32_t generation = parsed.generation.value_or(0);
    if (!parsed.generation) {
        if (const auto served = read_claim(parsed)) {
            generation = served->generation;
        }
    }
    const std::string object_name = parsed.ring(generation);
    try {
        Mapping ring = open_mapping(object_name, writable ? bip::read_write : bip::read_only);
        return SharedSegment(
            std::make_unique<Impl>(object_name, std::string{}, std::nullopt, std::move(ring)));
    } catch (const bip::interprocess_exception& e) {
        if (e.get_error_code() == bip::not_found_error) {
            throw SegmentError(SegmentError::Reason::NotFound, object_name + " does not exist");
        }
        throw SegmentError(SegmentError::Reason::System,
                           "cannot open " + object_name + ": " + e.what());
    }
}

bool SharedSegment::remove(const std::string& name) noexcept {
    // Nothing to unlink: a mapping goes with its last handle. What this process can give up is
    // its claim on the stream, when `name` is the ring it serves.
    try {
        const ObjectName parsed = parse_name(name);
        const std::lock_guard lock(held_claims_mutex);
        const auto held = held_claims.find(parsed.claim());
        if (held == held_claims.end() || held->second.ring_name != location(name)) {
            return false;
        }
        held->second.claim->reset();
        held_claims.erase(held);
        return true;
    } catch (...) {
        return false;
    }
}

std::string SharedSegment::location(const std::string& name) {
    return name.find('\\') == std::string::npos ? "Local\\" + name : name;
}

SharedSegment::SharedSegment(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SharedSegment::SharedSegment(SharedSegment&&) noexcept = default;
SharedSegment& SharedSegment::operator=(SharedSegment&&) noexcept = default;
SharedSegment::~SharedSegment() = default;

std::byte* SharedSegment::data() const noexcept {
    return static_cast<std::byte*>(impl_->ring.view.get_address());
}

std::uint64_t SharedSegment::size() const noexcept {
    return impl_->ring.view.get_size();
}

const std::string& SharedSegment::name() const noexcept {
    return impl_->name;
}

std::uint32_t current_process_id() noexcept {
    return static_cast<std::uint32_t>(::GetCurrentProcessId());
}

bool process_is_alive(std::uint32_t pid) noexcept {
    if (pid == 0) {
        return false;
    }
    const HANDLE process = ::OpenProcess(SYNCHRONIZE, FALSE, pid);
    if (process == nullptr) {
        // A process we may not open exists all the same.
        return ::GetLastError() == ERROR_ACCESS_DENIED;
    }
    const bool running = ::WaitForSingleObject(process, 0) == WAIT_TIMEOUT;
    ::CloseHandle(process);
    return running;
}

}  // namespace framebridge::shm
