#include "models/capture_form.hpp"
#include "support/ui_test.hpp"

#include <QTest>
#include <stdexcept>

using framebridge::ui::test::add_row;

using namespace framebridge::ui;
using Kind = framebridge::app::SourceSpec::Kind;

Q_DECLARE_METATYPE(CaptureForm)

namespace {

template <typename Change>
CaptureForm changed(Change change) {
    CaptureForm form;
    change(form);
    return form;
}

}  // namespace

class CaptureFormTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theDefaultFormIsTheServersDefaults() {
        const auto config = to_pipeline_config(CaptureForm{});

        QCOMPARE(config.source, std::string("synthetic"));
        QVERIFY(!config.geometry);
        QVERIFY(!config.fps);
        QCOMPARE(config.port, 7600);
        QCOMPARE(config.name, std::string("framebridge"));
        QCOMPARE(config.slots, 3u);
    }

    void everyFieldReachesThePipeline() {
        CaptureForm sut;
        sut.source = choice_from_spec("camera:1");
        sut.size = " 640x480 ";
        sut.fps = "0";
        sut.fourcc = "YUYV";
        sut.loop = true;
        sut.port = 0;
        sut.name = "cam1";
        sut.slots = 5;

        const auto config = to_pipeline_config(sut);

        QCOMPARE(config.source, std::string("camera:1"));
        QCOMPARE(config.geometry->width, 640u);
        QCOMPARE(config.geometry->height, 480u);
        QCOMPARE(*config.fps, 0.0);
        QCOMPARE(config.fourcc, std::string("YUYV"));
        QVERIFY(config.loop);
        QCOMPARE(config.port, 0);
        QCOMPARE(config.name, std::string("cam1"));
        QCOMPARE(config.slots, 5u);
    }

    void aBadFieldIsNamedInTheError_data() {
        QTest::addColumn<CaptureForm>("form");
        QTest::addColumn<QString>("message");
        add_row("size not WxH", changed([](auto& f) { f.size = "big"; }),
                "size 'big' is not WIDTHxHEIGHT");
        add_row("size zero", changed([](auto& f) { f.size = "0x480"; }), "0");
        add_row("fps text", changed([](auto& f) { f.fps = "fast"; }), "frames per second 'fast'");
        add_row("fps negative", changed([](auto& f) { f.fps = "-1"; }), "frames per second '-1'");
        add_row("fps too high", changed([](auto& f) { f.fps = "1001"; }), "from 0 to 1000");
        add_row("fourcc", changed([](auto& f) { f.fourcc = "MJPEG"; }), "MJPEG");
        add_row("stream name", changed([](auto& f) { f.name = "a/b"; }), "a/b");
        add_row("port", changed([](auto& f) { f.port = 70000; }), "port 70000");
        add_row("slots", changed([](auto& f) { f.slots = 1; }), "slots 1 is not from 2 to 64");
        add_row("empty file", changed([](auto& f) { f.source.kind = Kind::File; }),
                "choose a video file");
    }

    void aBadFieldIsNamedInTheError() {
        QFETCH(CaptureForm, form);
        QFETCH(QString, message);

        try {
            to_pipeline_config(form);
            QFAIL("no error");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    void onlyTheGivenFlagsReplaceWhatTheFormHeld() {
        CaptureForm saved;
        saved.size = "1280x720";
        saved.fps = "60";
        saved.name = "saved";
        AppOptions options;
        options.server.pipeline.geometry = framebridge::shm::FrameGeometry{640, 480};
        options.server.pipeline.fps = 15.0;
        options.server.pipeline.port = 0;
        options.server.pipeline.source = "rtsp://cam/s";
        options.given = {"--size", "--port", "--source"};

        const CaptureForm sut = apply_options(saved, options);

        QCOMPARE(sut.size, QString("640x480"));
        QCOMPARE(sut.port, 0);
        QCOMPARE(to_spec(sut.source), QString("rtsp://cam/s"));
        QCOMPARE(sut.fps, QString("60"));
        QCOMPARE(sut.name, QString("saved"));
    }

    void aSizeTheSourceWillNotUseIsSaidToBeIgnored_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("size");
        QTest::addColumn<QString>("note");
        add_row("file", "clip.mp4", "640x480",
                "Size 640x480 is ignored: a video file plays at its own size.");
        add_row("stream", "rtsp://cam/s", "640x480", "Size 640x480 is ignored: a stream");
        add_row("pipeline", "gst:videotestsrc", "640x480", "a pipeline's caps set its size");
        add_row("file, no size", "clip.mp4", "", "");
        add_row("pattern", "synthetic", "640x480", "");
        add_row("camera", "camera:0", "640x480", "");
    }

    void aSizeTheSourceWillNotUseIsSaidToBeIgnored() {
        QFETCH(QString, source);
        QFETCH(QString, size);
        QFETCH(QString, note);
        CaptureForm form;
        form.source = choice_from_spec(source);
        form.size = size;

        const QString sut = ignored_settings_note(form);

        QVERIFY2(note.isEmpty() ? sut.isEmpty() : sut.startsWith(note) || sut.contains(note),
                 qPrintable(sut));
    }

    void withDefaultsTheSavedFormGivesWayToTheServersDefaults() {
        CaptureForm saved;
        saved.source = choice_from_spec("camera:2");
        saved.size = "640x480";
        saved.port = 7601;
        saved.name = "saved";
        AppOptions options;
        options.defaults = true;
        options.server.pipeline.fps = 60.0;
        options.given = {"--fps"};

        const CaptureForm sut = apply_options(saved, options);

        QCOMPARE(to_spec(sut.source), QString("synthetic"));
        QCOMPARE(sut.size, QString());
        QCOMPARE(sut.port, 7600);
        QCOMPARE(sut.name, QString("framebridge"));
        QCOMPARE(sut.fps, QString("60"));
        QCOMPARE(to_pipeline_config(sut).port, 7600);
    }
};

FRAMEBRIDGE_UI_TEST(CaptureFormTest)
#include "capture_form_test.moc"
