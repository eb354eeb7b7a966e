#include "models/stream_choices.hpp"
#include "support/stats_maker.hpp"
#include "support/ui_test.hpp"

#include <QTest>

using namespace framebridge;
using protocol::Producer;
using ui::StreamChoices;
using ui::test::stream_info;

namespace {

using Change = StreamChoices::Change;

std::vector<app::StreamInfo> capture_and(const std::string& published, std::uint64_t seq = 10) {
    return {stream_info("front", Producer::Capture), stream_info(published, Producer::Client, seq)};
}

std::vector<app::StreamInfo> capture_only() {
    return {stream_info("front", Producer::Capture)};
}

QString current_text(const StreamChoices& choices) {
    return choices.entries().at(choices.current_index()).text;
}

}  // namespace

class StreamChoicesTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void saysNameProducerAndSize() {
        QCOMPARE(ui::stream_choice_text(stream_info("front", Producer::Capture)),
                 QString("front · capture · 640×480 BGR8"));
        QCOMPARE(ui::stream_choice_text(stream_info("edges", Producer::Client)),
                 QString("edges · published by a client · 320×240 GRAY8"));
        app::StreamInfo unsized = stream_info("cam", Producer::Capture);
        unsized.geometry.width = 0;
        QCOMPARE(ui::stream_choice_text(unsized), QString("cam · capture · size not known yet"));
    }

    void listsEveryStreamAndPreviewsTheFirstByDefault() {
        StreamChoices sut;
        QCOMPARE(sut.current_index(), -1);

        QCOMPARE(sut.update(capture_and("edges")), Change::None);

        QCOMPARE(sut.entries().size(), 2);
        QCOMPARE(sut.entries().at(1).name, QString("edges"));
        QCOMPARE(sut.current_index(), 0);
        QCOMPARE(sut.preview_stream(), std::string());
    }

    void aPickedStreamIsPreviewedUntilTheFirstIsPickedAgain() {
        StreamChoices sut;
        sut.update(capture_and("edges"));

        sut.choose("edges");
        QCOMPARE(sut.preview_stream(), std::string("edges"));
        QCOMPARE(sut.current_index(), 1);
        QCOMPARE(sut.update(capture_and("edges", 11)), Change::None);

        sut.choose("front");
        QCOMPARE(sut.preview_stream(), std::string());  // the first, whatever it is named
        QCOMPARE(sut.current_index(), 0);
    }

    void theEndOfThePickedStreamIsSaidOnceAndItStaysPicked() {
        StreamChoices sut;
        sut.update(capture_and("edges"));
        sut.choose("edges");

        QCOMPARE(sut.update(capture_only()), Change::Ended);

        QVERIFY(sut.ended());
        QCOMPARE(sut.preview_stream(), std::string("edges"));
        QCOMPARE(current_text(sut), QString("edges · ended"));
        QCOMPARE(sut.entries().size(), 2);
        QVERIFY2(sut.ended_message().startsWith("Stream 'edges' ended: its publisher closed it."),
                 qPrintable(sut.ended_message()));
        QCOMPARE(sut.update(capture_only()), Change::None);
    }

    void anEndedCaptureStreamSaysSo() {
        StreamChoices sut;
        sut.update(
            {stream_info("front", Producer::Capture), stream_info("back", Producer::Capture)});
        sut.choose("back");

        QCOMPARE(sut.update(capture_only()), Change::Ended);

        QVERIFY(sut.ended_message().startsWith("Stream 'back' ended: it is no longer captured."));
    }

    void theStreamPublishedAgainUnderItsNameIsFollowed() {
        StreamChoices sut;
        sut.update(capture_and("edges"));
        sut.choose("edges");
        sut.update(capture_only());

        QCOMPARE(sut.update(capture_and("edges", 1)), Change::Restarted);

        QVERIFY(!sut.ended());
        QCOMPARE(sut.entries().size(), 2);
        QCOMPARE(current_text(sut), QString("edges · published by a client · 320×240 GRAY8"));
    }

    void aStreamMadeAgainBetweenTwoUpdatesIsSeenByItsNumbers() {
        StreamChoices sut;
        sut.update(capture_and("edges", 50));
        sut.choose("edges");

        QCOMPARE(sut.update(capture_and("edges", 3)), Change::Restarted);
        QCOMPARE(sut.update(capture_and("edges", 4)), Change::None);
    }

    void pickingAnotherStreamDropsTheEndedOne() {
        StreamChoices sut;
        sut.update(capture_and("edges"));
        sut.choose("edges");
        sut.update(capture_only());

        sut.choose("front");

        QVERIFY(!sut.ended());
        QCOMPARE(sut.entries().size(), 1);
        QCOMPARE(sut.update(capture_only()), Change::None);
    }

    void clearGoesBackToTheFirstStream() {
        StreamChoices sut;
        sut.update(capture_and("edges"));
        sut.choose("edges");

        sut.clear();

        QVERIFY(sut.entries().isEmpty());
        QCOMPARE(sut.preview_stream(), std::string());
        QCOMPARE(sut.update(capture_only()), Change::None);
        QCOMPARE(sut.current_index(), 0);
    }
};

FRAMEBRIDGE_UI_TEST(StreamChoicesTest)
#include "stream_choices_test.moc"
