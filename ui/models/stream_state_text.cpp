#include "models/stream_state_text.hpp"

#include <QObject>

namespace framebridge::ui {

QString stream_state_text(protocol::StreamState state, const QString& source) {
    switch (state) {
    case protocol::StreamState::Live:
        return {};
    case protocol::StreamState::Ended:
        return QObject::tr(
                   "The file ended: %1. Scripts see the stream end; Play again serves it "
                   "from the start.")
            .arg(source);
    case protocol::StreamState::Lost:
        return QObject::tr("Lost %1; opening it again…").arg(source);
    }
    return QObject::tr("%1 is not live").arg(source);
}

}  // namespace framebridge::ui
