#pragma once

#include "framebridge/app/server/result_event.hpp"

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace framebridge::ui {

/// @brief Where the server's network thread leaves the results of the stream previewed for the
/// GUI thread to take: a copy under a mutex, nothing more, so the server is never held up.
/// Results of other streams are dropped at the door, and a sender whose results the GUI does
/// not take in time keeps only its newest MAX_WAITING_PER_SENDER.
class ResultInbox {
public:
    static constexpr std::size_t MAX_WAITING_PER_SENDER = 64;

    /// @brief The stream previewed, "" for the first; results waiting for another are dropped.
    void follow(const std::string& stream);
    /// @brief The name of the first stream, which "" stands for.
    void set_first_stream(const std::string& name);
    /// @brief From any thread. True when the inbox was empty: the caller then wakes the GUI
    /// once for all that comes until it takes them.
    bool put(const app::ResultEvent& event);
    /// @brief Every result waiting, in the order they came; empties the inbox.
    std::vector<app::ResultEvent> take();

private:
    const std::string& followed() const;

    std::mutex mutex_;
    std::string stream_;
    std::string first_stream_;
    std::vector<app::ResultEvent> waiting_;
};

}  // namespace framebridge::ui
