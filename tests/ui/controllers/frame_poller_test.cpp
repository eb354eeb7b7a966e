#include "controllers/frame_poller.hpp"
#include "support/small_capture.hpp"
#include "support/test_publisher.hpp"
#include "support/ui_test.hpp"

#include <QSignalSpy>
#include <QTest>
#include <chrono>
#include <thread>

using namespace framebridge;
using ui::FramePoller;

class FramePollerTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void makesPreviewImagesAtTheAskedSize() {
        app::Pipeline pipeline(ui::test::small_config("320x240"));
        FramePoller sut;
        QSignalSpy frames(&sut, &FramePoller::frame_ready);
        sut.set_preview_size(QSize(160, 160));

        sut.attach(pipeline);

        QVERIFY(frames.wait(5000));
        QVERIFY(frames.wait(5000));
        sut.detach();
        const auto image = frames.at(0).at(0).value<QImage>();
        QCOMPARE(image.size(), QSize(160, 120));
        QVERIFY(frames.at(1).at(1).toULongLong() > frames.at(0).at(1).toULongLong());
        pipeline.stop();
    }

    void previewsTheStreamItIsSetTo() {
        app::Pipeline pipeline(ui::test::small_config("320x240"));
        const std::string name = framebridge::test::unique_stream_name();
        ui::test::TestPublisher publisher(pipeline.port(), name, {64, 48, shm::PixelFormat::Gray8});
        publisher.publish_filled(200);
        FramePoller sut;
        QSignalSpy frames(&sut, &FramePoller::frame_ready);
        sut.set_preview_size(QSize(64, 48));
        sut.set_stream(name);

        sut.attach(pipeline);

        QVERIFY(frames.wait(5000));
        sut.detach();
        const auto image = frames.at(0).at(0).value<QImage>();
        QCOMPARE(frames.at(0).at(2).toSize(), QSize(64, 48));  // not the capture's 320x240
        QCOMPARE(image.pixel(10, 10), qRgb(200, 200, 200));
        QCOMPARE(frames.at(0).at(1).toULongLong(), 1ULL);
        publisher.close();
        pipeline.stop();
    }

    void afterSetStreamNoImageOfTheStreamBeforeArrives() {
        app::Pipeline pipeline(ui::test::small_config("320x240"));
        const std::string name = framebridge::test::unique_stream_name();
        ui::test::TestPublisher publisher(pipeline.port(), name, {64, 48, shm::PixelFormat::Gray8});
        publisher.publish_filled(50);
        FramePoller sut;
        QSignalSpy frames(&sut, &FramePoller::frame_ready);
        sut.set_preview_size(QSize(64, 48));
        sut.attach(pipeline);
        // No events handled meanwhile: an image of the capture is made and waits to be delivered.
        std::this_thread::sleep_for(std::chrono::milliseconds(500));

        sut.set_stream(name);

        QVERIFY(frames.wait(5000));
        QTest::qWait(3 * FramePoller::PREVIEW_INTERVAL_MS);
        sut.detach();
        for (const QList<QVariant>& frame : frames) {
            QCOMPARE(frame.at(2).toSize(), QSize(64, 48));
        }
        pipeline.stop();
    }

    void reportsTheStatistics() {
        app::Pipeline pipeline(ui::test::small_config());
        FramePoller sut;
        QSignalSpy stats(&sut, &FramePoller::stats_ready);

        sut.attach(pipeline);

        QTRY_VERIFY_WITH_TIMEOUT(
            !stats.isEmpty() &&
                stats.last().at(0).value<app::PipelineStats>().capture.published > 0,
            5000);
        sut.detach();
        pipeline.stop();
    }

    void noPreviewWithoutASize() {
        app::Pipeline pipeline(ui::test::small_config());
        FramePoller sut;
        QSignalSpy frames(&sut, &FramePoller::frame_ready);
        QSignalSpy stats(&sut, &FramePoller::stats_ready);

        sut.attach(pipeline);

        QTRY_VERIFY_WITH_TIMEOUT(stats.count() >= 3, 5000);
        QCOMPARE(frames.count(), 0);
        sut.detach();
        pipeline.stop();
    }

    void afterDetachNoSignalArrivesAndThePipelineMayStop() {
        FramePoller sut;
        sut.set_preview_size(QSize(64, 48));
        QSignalSpy frames(&sut, &FramePoller::frame_ready);
        QSignalSpy stats(&sut, &FramePoller::stats_ready);
        // Many quick rounds: a frame held across stop() would be a use after free (ASan).
        for (int round = 0; round < 20; ++round) {
            app::Pipeline pipeline(ui::test::small_config("640x480"));
            sut.attach(pipeline);
            QTest::qWait(round % 4 == 0 ? 60 : 5);
            sut.detach();
            pipeline.stop();
        }
        frames.clear();
        stats.clear();

        QTest::qWait(3 * FramePoller::STATS_INTERVAL_MS);

        QCOMPARE(frames.count(), 0);
        QCOMPARE(stats.count(), 0);
    }
};

FRAMEBRIDGE_UI_TEST(FramePollerTest)
#include "frame_poller_test.moc"
