#pragma once

#include "framebridge/app/server/result_event.hpp"
#include "framebridge/protocol/messages.hpp"

#include <memory>
#include <mutex>
#include <vector>

namespace framebridge::app {

class ClientSession;
class ServedStream;

/// @brief Hands each result a client sends to whoever reads results on its stream: the
/// connections that watch it, as RESULT_FROM, and the program's own handlers (on_result).
class ResultRelay {
public:
    /// @brief `handler` gets every result from now on, on the io thread. Any thread.
    void on_result(ResultHandler handler);

    /// @brief Sends `event` (whose RESULT body is `body`) to every one of `sessions` that watches
    /// `stream`, encoded once for all of them, then to every handler. Io thread.
    void relay(const ServedStream& stream, const ResultEvent& event, const protocol::Bytes& body,
               const std::vector<std::shared_ptr<ClientSession>>& sessions) const;

private:
    mutable std::mutex mutex_;
    // Replaced, never changed, when a handler is added: relaying takes the list without copying
    // the handlers or holding the lock while they run.
    std::shared_ptr<const std::vector<ResultHandler>> handlers_ =
        std::make_shared<const std::vector<ResultHandler>>();
};

}  // namespace framebridge::app
