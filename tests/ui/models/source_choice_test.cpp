#include "models/source_choice.hpp"
#include "support/ui_test.hpp"

#include <QTest>
#include <stdexcept>

using framebridge::ui::test::add_row;

using namespace framebridge::ui;
using Kind = framebridge::app::SourceSpec::Kind;

Q_DECLARE_METATYPE(Kind)

class SourceChoiceTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void eachKindMakesTheSpecTheServerReads_data() {
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("spec");
        add_row("synthetic", Kind::Synthetic, "", "synthetic");
        add_row("camera", Kind::Camera, "2", "camera:2");
        add_row("file", Kind::File, "/videos/a.mp4", "/videos/a.mp4");
        add_row("file named like a camera", Kind::File, "2", "./2");
        add_row("file named like a pipeline", Kind::File, "gst:x", "./gst:x");
        add_row("url", Kind::Url, " rtsp://cam/s ", "rtsp://cam/s");
        add_row("gstreamer", Kind::GStreamer, "videotestsrc ! appsink",
                "gst:videotestsrc ! appsink");
    }

    void eachKindMakesTheSpecTheServerReads() {
        QFETCH(Kind, kind);
        QFETCH(QString, field);
        QFETCH(QString, spec);
        SourceChoice sut;
        sut.kind = kind;
        sut.camera = field.toInt();
        sut.file = sut.url = sut.pipeline = field;

        QCOMPARE(to_spec(sut), spec);
        const SourceChoice back = choice_from_spec(spec);
        QCOMPARE(back.kind, kind);
        QCOMPARE(to_spec(back), spec);
    }

    void anEmptyOrWrongFieldIsAnErrorForAPerson_data() {
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        add_row("no file", Kind::File, " ", "choose a video file");
        add_row("no url", Kind::Url, "", "enter a stream URL");
        add_row("not a url", Kind::Url, "camera.local/x", "is not a stream URL");
        add_row("no pipeline", Kind::GStreamer, "", "enter a GStreamer pipeline");
    }

    void anEmptyOrWrongFieldIsAnErrorForAPerson() {
        QFETCH(Kind, kind);
        QFETCH(QString, field);
        QFETCH(QString, message);
        SourceChoice sut;
        sut.kind = kind;
        sut.file = sut.url = sut.pipeline = field;

        try {
            to_spec(sut);
            QFAIL("no error");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    void aSpecThatIsNoSourceBecomesTheSyntheticOne() {
        QCOMPARE(choice_from_spec("camera:x").kind, Kind::Synthetic);
        QCOMPARE(choice_from_spec("").kind, Kind::Synthetic);
    }

    void eachKindKeepsItsOwnText() {
        SourceChoice sut = choice_from_spec("/a.mp4");
        sut.url = "rtsp://x/y";

        sut.kind = Kind::File;
        QCOMPARE(to_spec(sut), QString("/a.mp4"));
        sut.kind = Kind::Url;
        QCOMPARE(to_spec(sut), QString("rtsp://x/y"));
    }
};

FRAMEBRIDGE_UI_TEST(SourceChoiceTest)
#include "source_choice_test.moc"
