#include "framebridge/app/record/record_file.hpp"
#include "support/shown_window.hpp"
#include "support/small_capture.hpp"
#include "support/ui_test.hpp"
#include "widgets/main_window.hpp"

#include <QApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace framebridge;
using ui::CaptureController;
using ui::MainWindow;

namespace {

constexpr int START_TIMEOUT_MS = 10000;

// The sidecar's last line: {"type":"end",...} once the recording was finalized.
QJsonObject last_sidecar_line(const QString& video) {
    QFile sidecar(QString::fromStdString(app::sidecar_path(video.toStdString())));
    if (!sidecar.open(QIODevice::ReadOnly)) {
        return {};
    }
    const QList<QByteArray> lines = sidecar.readAll().trimmed().split('\n');
    return QJsonDocument::fromJson(lines.last()).object();
}

}  // namespace

class RecordingTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        QVERIFY(dir_.isValid());
        settings_ = ui::test::empty_settings(dir_);
        window_ = ui::test::shown_window(*settings_, ui::test::small_form());
        window_->start_capture();
        QTRY_COMPARE_WITH_TIMEOUT(window_->controller().state(), CaptureController::State::Running,
                                  START_TIMEOUT_MS);
    }

    void cleanup() { window_.reset(); }

    void theIndicatorShowsTheRecordingAndCtrlRStopsAndFinalizesIt() {
        MainWindow& sut = *window_;
        const QString video = dir_.filePath("clip.mkv");
        QVERIFY(sut.start_recording(video));
        auto* indicator = sut.findChild<QLabel*>("record_indicator");
        QVERIFY(indicator != nullptr && indicator->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(sut.controller().recording()->frames >= 5, START_TIMEOUT_MS);
        QTRY_VERIFY2(
            indicator->text().startsWith("● REC 0:0") && indicator->text().contains(" dropped"),
            qPrintable(indicator->text()));
        QVERIFY(sut.findChild<QAction*>("record_action")->isChecked());

        QTest::keyClick(&sut.preview(), Qt::Key_R, Qt::ControlModifier);

        QVERIFY(!sut.controller().recording());
        QVERIFY(!indicator->isVisible());
        QVERIFY(!sut.findChild<QAction*>("record_action")->isChecked());
        QCOMPARE(last_sidecar_line(video)["type"].toString(), QString("end"));
        QVERIFY(last_sidecar_line(video)["frames"].toInt() >= 5);
        QVERIFY(QFile(video).size() > 0);
        QVERIFY2(sut.statusBar()->currentMessage().contains(video),
                 qPrintable(sut.statusBar()->currentMessage()));
    }

    void stopAndClosingTheWindowFinalizeTheRecording() {
        const QString stopped = dir_.filePath("stopped.avi");
        QVERIFY(window_->start_recording(stopped));
        QTest::mouseClick(window_->findChild<QPushButton*>("stop"), Qt::LeftButton);
        QCOMPARE(last_sidecar_line(stopped)["type"].toString(), QString("end"));

        window_->start_capture();
        QTRY_COMPARE_WITH_TIMEOUT(window_->controller().state(), CaptureController::State::Running,
                                  START_TIMEOUT_MS);
        const QString closed = dir_.filePath("closed.mp4");
        QVERIFY(window_->start_recording(closed));
        window_->close();
        QCOMPARE(last_sidecar_line(closed)["type"].toString(), QString("end"));
    }

    void aFolderThatCannotBeWrittenIsNamedAndNothingRecords() {
        const QString video = dir_.filePath("missing/clip.mp4");
        QString said;
        QTimer::singleShot(100, [&said] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (box != nullptr) {
                said = box->text();
                box->accept();
            }
        });
        QVERIFY(!window_->start_recording(video));
        QVERIFY2(said.contains(dir_.filePath("missing")) && said.contains("folder"),
                 qPrintable(said));
        QVERIFY(!window_->controller().recording());
        QVERIFY(!window_->findChild<QLabel*>("record_indicator")->isVisible());
    }

private:
    QTemporaryDir dir_;
    std::unique_ptr<QSettings> settings_;
    std::unique_ptr<MainWindow> window_;
};

FRAMEBRIDGE_UI_TEST(RecordingTest)
#include "recording_test.moc"
