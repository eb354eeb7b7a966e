#include "framebridge/app/server/stream_registry.hpp"

#include <algorithm>

namespace framebridge::app {

bool StreamRegistry::add(std::shared_ptr<ServedStream> stream) {
    const std::lock_guard lock(mutex_);
    const bool taken = std::any_of(streams_.begin(), streams_.end(),
                                   [&](const auto& s) { return s->name() == stream->name(); });
    if (taken) {
        return false;
    }
    streams_.push_back(std::move(stream));
    return true;
}

void StreamRegistry::remove(const ServedStream& stream) {
    const std::lock_guard lock(mutex_);
    streams_.erase(std::remove_if(streams_.begin(), streams_.end(),
                                  [&](const auto& s) { return s.get() == &stream; }),
                   streams_.end());
}

std::shared_ptr<ServedStream> StreamRegistry::find(const std::string& name) const {
    const std::lock_guard lock(mutex_);
    if (name.empty()) {
        return streams_.empty() ? nullptr : streams_.front();
    }
    const auto found = std::find_if(streams_.begin(), streams_.end(),
                                    [&](const auto& s) { return s->name() == name; });
    return found == streams_.end() ? nullptr : *found;
}

std::vector<std::shared_ptr<ServedStream>> StreamRegistry::all() const {
    const std::lock_guard lock(mutex_);
    return streams_;
}

std::string StreamRegistry::names() const {
    const std::lock_guard lock(mutex_);
    std::string list;
    for (const auto& s : streams_) {
        list += (list.empty() ? "" : ", ") + s->name();
    }
    return list;
}

}  // namespace framebridge::app
