#include "models/result_overlay.hpp"

#include "models/result_palette.hpp"

#include <algorithm>
#include <array>

namespace framebridge::ui {

namespace {

constexpr std::int64_t NS_PER_MS = 1'000'000;

double opacity_at(std::uint64_t age_frames) {
    if (age_frames <= ResultOverlay::FRESH_FRAMES) {
        return 1.0;
    }
    const double faded =
        static_cast<double>(age_frames - ResultOverlay::FRESH_FRAMES) /
        static_cast<double>(ResultOverlay::GONE_FRAMES - ResultOverlay::FRESH_FRAMES);
    return 1.0 - faded * (1.0 - ResultOverlay::FADED_OPACITY);
}

bool gone(const app::ResultEvent& event, std::uint64_t frame_seq) {
    return event.result.seq + ResultOverlay::GONE_FRAMES < frame_seq;
}

}  // namespace

void ResultOverlay::add(const app::ResultEvent& event) {
    if (colours_.count(event.sender_id) == 0) {
        colours_[event.sender_id] = new_colour_index();
    }
    Sender& sender = senders_[event.sender_id];
    sender.name =
        QString("%1 #%2").arg(QString::fromStdString(event.sender_name)).arg(event.sender_id);
    sender.results.push_back(event);
    if (sender.results.size() > KEPT_PER_SENDER) {
        sender.results.pop_front();
    }
    sender.rate.add(static_cast<std::int64_t>(event.received_ns) / NS_PER_MS);
}

std::vector<ShownResult> ResultOverlay::shown(std::uint64_t frame_seq, std::int64_t now_ms) {
    std::vector<ShownResult> shown;
    for (auto it = senders_.begin(); it != senders_.end();) {
        Sender& sender = it->second;
        sender.results.erase(std::remove_if(sender.results.begin(), sender.results.end(),
                                            [&](const auto& e) { return gone(e, frame_seq); }),
                             sender.results.end());
        if (sender.results.empty()) {
            it = senders_.erase(it);
            continue;
        }
        ShownResult entry;
        entry.sender_id = it->first;
        entry.sender = sender.name;
        entry.colour = result_colour(colours_.at(it->first));
        entry.results_per_second = sender.rate.per_second(now_ms);
        for (const app::ResultEvent& event : sender.results) {
            const std::uint64_t seq = event.result.seq;
            if (seq <= frame_seq && (entry.result == nullptr || seq >= entry.result->seq)) {
                entry.result = &event.result;
                entry.opacity = opacity_at(frame_seq - seq);
            }
        }
        shown.push_back(std::move(entry));
        ++it;
    }
    return shown;
}

void ResultOverlay::clear() {
    senders_.clear();
    colours_.clear();
}

int ResultOverlay::colour_index(std::uint32_t sender_id) const {
    const auto found = colours_.find(sender_id);
    return found == colours_.end() ? -1 : found->second;
}

int ResultOverlay::new_colour_index() const {
    // The colour fewest senders on screen have, the first such: distinct while there are at
    // most RESULT_COLOURS of them, however high their ids have gone.
    std::array<int, RESULT_COLOURS> users{};
    for (const auto& entry : senders_) {
        ++users[static_cast<std::size_t>(colours_.at(entry.first))];
    }
    return static_cast<int>(std::min_element(users.begin(), users.end()) - users.begin());
}

}  // namespace framebridge::ui
