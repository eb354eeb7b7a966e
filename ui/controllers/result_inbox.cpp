#include "controllers/result_inbox.hpp"

#include <algorithm>
#include <utility>

namespace framebridge::ui {

void ResultInbox::follow(const std::string& stream) {
    std::lock_guard lock(mutex_);
    stream_ = stream;
    waiting_.clear();
}

void ResultInbox::set_first_stream(const std::string& name) {
    std::lock_guard lock(mutex_);
    first_stream_ = name;
}

const std::string& ResultInbox::followed() const {
    return stream_.empty() ? first_stream_ : stream_;
}

bool ResultInbox::put(const app::ResultEvent& event) {
    std::lock_guard lock(mutex_);
    if (event.stream != followed()) {
        return false;
    }
    const auto of_sender = [&](const app::ResultEvent& e) {
        return e.sender_id == event.sender_id;
    };
    if (static_cast<std::size_t>(std::count_if(waiting_.begin(), waiting_.end(), of_sender)) >=
        MAX_WAITING_PER_SENDER) {
        waiting_.erase(std::find_if(waiting_.begin(), waiting_.end(), of_sender));
    }
    waiting_.push_back(event);
    return waiting_.size() == 1;
}

std::vector<app::ResultEvent> ResultInbox::take() {
    std::lock_guard lock(mutex_);
    return std::exchange(waiting_, {});
}

}  // namespace framebridge::ui
