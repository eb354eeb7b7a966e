#include "models/stream_choices.hpp"

#include <QObject>
#include <algorithm>

namespace framebridge::ui {

namespace {

const app::StreamInfo* find_stream(const std::vector<app::StreamInfo>& streams,
                                   const QString& name) {
    const std::string wanted = name.toStdString();
    const auto found = std::find_if(streams.begin(), streams.end(),
                                    [&](const app::StreamInfo& s) { return s.name == wanted; });
    return found == streams.end() ? nullptr : &*found;
}

}  // namespace

QString stream_size_text(const shm::FrameGeometry& geometry) {
    if (geometry.width == 0) {
        return {};
    }
    return QString("%1×%2 %3")
        .arg(geometry.width)
        .arg(geometry.height)
        .arg(shm::to_string(geometry.format));
}

QString stream_choice_text(const app::StreamInfo& stream) {
    const QString producer = stream.producer == protocol::Producer::Client
                                 ? QObject::tr("published by a client")
                                 : QObject::tr("capture");
    const QString known = stream_size_text(stream.geometry);
    const QString size = known.isEmpty() ? QObject::tr("size not known yet") : known;
    return QString("%1 · %2 · %3").arg(QString::fromStdString(stream.name), producer, size);
}

StreamChoices::Change StreamChoices::update(const std::vector<app::StreamInfo>& streams) {
    streams_ = streams;
    Change change = Change::None;
    if (!chosen_.isEmpty()) {
        if (const app::StreamInfo* chosen = find_stream(streams_, chosen_)) {
            // A stream made again counts from 1: the preview must not wait for the old numbers.
            if (ended_ || chosen->newest_seq < last_seen_.newest_seq) {
                change = Change::Restarted;
            }
            ended_ = false;
            last_seen_ = *chosen;
        } else if (!ended_) {
            ended_ = true;
            change = Change::Ended;
        }
    }
    rebuild();
    return change;
}

void StreamChoices::choose(const QString& name) {
    const bool first = !streams_.empty() && name.toStdString() == streams_.front().name;
    chosen_ = first ? QString() : name;
    ended_ = false;
    const app::StreamInfo* chosen = find_stream(streams_, name);
    last_seen_ = chosen != nullptr ? *chosen : app::StreamInfo{};
    rebuild();
}

void StreamChoices::clear() {
    streams_.clear();
    chosen_.clear();
    ended_ = false;
    last_seen_ = {};
    rebuild();
}

int StreamChoices::current_index() const {
    if (entries_.isEmpty()) {
        return -1;
    }
    for (int i = 0; i < entries_.size(); ++i) {
        if (entries_[i].name == chosen_) {
            return i;
        }
    }
    return 0;  // the first stream
}

QString StreamChoices::ended_message() const {
    const QString name = QString::fromStdString(last_seen_.name);
    const QString why = last_seen_.producer == protocol::Producer::Client
                            ? QObject::tr("its publisher closed it")
                            : QObject::tr("it is no longer captured");
    return QObject::tr(
               "Stream '%1' ended: %2.\nThe preview goes on when it is published again; "
               "pick another stream above to see that one.")
        .arg(name.isEmpty() ? chosen_ : name, why);
}

void StreamChoices::rebuild() {
    entries_.clear();
    for (const app::StreamInfo& stream : streams_) {
        entries_.append({QString::fromStdString(stream.name), stream_choice_text(stream)});
    }
    if (ended_) {
        entries_.append({chosen_, QObject::tr("%1 · ended").arg(chosen_)});
    }
}

}  // namespace framebridge::ui
