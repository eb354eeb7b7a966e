#pragma once

#include "framebridge/app/server/served_stream.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace framebridge::app {

/// @brief The streams a server hosts, by name, in the order they were made; the first is the
/// one a HELLO without a stream name reads. Thread-safe.
class StreamRegistry {
public:
    /// @brief False, and nothing added, when a stream of that name is there already.
    bool add(std::shared_ptr<ServedStream> stream);
    /// @brief Takes `stream` out of the listing; sessions that read it keep it.
    void remove(const ServedStream& stream);
    /// @brief The stream named `name`, the first one for "", or nullptr.
    std::shared_ptr<ServedStream> find(const std::string& name) const;
    std::vector<std::shared_ptr<ServedStream>> all() const;
    /// @brief "front, back": for an error that says which streams there are.
    std::string names() const;

private:
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<ServedStream>> streams_;
};

}  // namespace framebridge::app
