#include "models/recording_text.hpp"
#include "support/ui_test.hpp"

#include <QTest>

namespace ui = framebridge::ui;

class RecordingTextTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theIndicatorGivesElapsedSizeRateAndDropped() {
        framebridge::app::RecordStats stats;
        stats.seconds = 72.9;
        stats.bytes = 4'200'000;
        stats.fps = 29.84;
        stats.dropped = 3;
        QCOMPARE(ui::recording_text(stats), QString("● REC 1:12 · 4.2 MB · 29.8 fps · 3 dropped"));
        stats.seconds = 3 * 3600 + 5;
        QVERIFY(ui::recording_text(stats).startsWith("● REC 3:00:05 · "));
    }

    void theEndSaysWhereAndWhyItStoppedByItself() {
        framebridge::app::RecordStats stats;
        stats.path = "/v/clip.mp4";
        stats.frames = 300;
        stats.dropped = 2;
        stats.results = 5;
        QCOMPARE(ui::recorded_text(stats),
                 QString("Recorded 300 frames (2 dropped, 5 results) to /v/clip.mp4"));
        stats.error = "the size changed";
        QVERIFY(ui::recorded_text(stats).endsWith(": stopped because the size changed"));
    }

    void aNewRecordingIsNamedByItsDateAndTime() {
        const QDateTime now(QDate(2026, 12, 1), QTime(16, 5, 9));
        QCOMPARE(ui::default_recording_path("/home/me/Videos", now),
                 QString("/home/me/Videos/framebridge-2026-12-01-160509.mp4"));
    }
};

FRAMEBRIDGE_UI_TEST(RecordingTextTest)
#include "recording_text_test.moc"
