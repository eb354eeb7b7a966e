#include "framebridge/app/server/result_relay.hpp"

#include "framebridge/app/server/client_session.hpp"

#include <spdlog/spdlog.h>
#include <exception>

namespace framebridge::app {

void ResultRelay::on_result(ResultHandler handler) {
    const std::lock_guard lock(mutex_);
    auto more = std::make_shared<std::vector<ResultHandler>>(*handlers_);
    more->push_back(std::move(handler));
    handlers_ = std::move(more);
}

void ResultRelay::relay(const ServedStream& stream, const ResultEvent& event,
                        const protocol::Bytes& body,
                        const std::vector<std::shared_ptr<ClientSession>>& sessions) const {
    std::shared_ptr<const protocol::Bytes> result_from;
    for (const auto& session : sessions) {
        if (!session->watches(stream)) {
            continue;
        }
        if (!result_from) {
            result_from = std::make_shared<const protocol::Bytes>(protocol::encode_result_from(
                event.sender_id, event.received_ns, event.sender_name, body));
        }
        session->send_result(result_from);
    }
    std::shared_ptr<const std::vector<ResultHandler>> handlers;
    {
        const std::lock_guard lock(mutex_);
        handlers = handlers_;
    }
    for (const ResultHandler& handler : *handlers) {
        // The embedding program's fault must not take down the network thread, and with it
        // every client, nor keep the result from the handlers after it.
        try {
            handler(event);
        } catch (const std::exception& e) {
            spdlog::error("a result handler failed on a result from client {}: {}", event.sender_id,
                          e.what());
        } catch (...) {
            spdlog::error(
                "a result handler failed on a result from client {}: it threw "
                "something that is not a std::exception",
                event.sender_id);
        }
    }
}

}  // namespace framebridge::app
