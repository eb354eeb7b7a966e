#pragma once
// The client's exceptions: one base class, one subclass per thing a caller may handle. They
// mirror the Python SDK's (python_sdk/framebridge/errors.py) name for name.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace framebridge {

/// @brief Base class of every error the FrameBridge client throws.
class FrameBridgeError : public std::runtime_error {
public:
    explicit FrameBridgeError(const std::string& what) : std::runtime_error(what) {}
};

/// @brief No FrameBridge server answers at the given address.
class ServerUnavailable : public FrameBridgeError {
public:
    using FrameBridgeError::FrameBridgeError;
};

/// @brief The server wants a token and none, or the wrong one, was given.
class AccessDenied : public FrameBridgeError {
public:
    using FrameBridgeError::FrameBridgeError;
};

/// @brief The server has no stream of the name asked for; what() and names() list the streams
/// it has.
class StreamNotFound : public FrameBridgeError {
public:
    explicit StreamNotFound(const std::string& what, std::vector<std::string> names = {})
        : FrameBridgeError(what), names_(std::move(names)) {}

    /// @brief The names of the server's streams, its first first, as its error listed them.
    const std::vector<std::string>& names() const noexcept { return names_; }

private:
    std::vector<std::string> names_;
};

/// @brief The server closed the connection (it stopped or crashed).
class ServerGone : public FrameBridgeError {
public:
    using FrameBridgeError::FrameBridgeError;
};

/// @brief No answer within the timeout.
class Timeout : public FrameBridgeError {
public:
    using FrameBridgeError::FrameBridgeError;
};

/// @brief The server sent a message this client cannot accept (bad type, size, version, value).
class ProtocolMismatch : public FrameBridgeError {
public:
    using FrameBridgeError::FrameBridgeError;
};

/// @brief The frame's slot was rewritten while it was being read.
class FrameOverwritten : public FrameBridgeError {
public:
    using FrameBridgeError::FrameBridgeError;
};

/// @brief The stream has no more frames (a file played to its end); iterating a client stops.
class StreamEnded : public FrameBridgeError {
public:
    using FrameBridgeError::FrameBridgeError;
};

}  // namespace framebridge
