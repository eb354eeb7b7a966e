// The window with a stream a client publishes over the real protocol: the picker lists it, the
// preview shows it when picked, says when it ends, and follows it when it is published again.

#include "models/streams_model.hpp"
#include "support/shown_window.hpp"
#include "support/small_capture.hpp"
#include "support/test_publisher.hpp"
#include "support/ui_test.hpp"
#include "widgets/main_window.hpp"
#include "widgets/source_panel.hpp"

#include <QComboBox>
#include <QFile>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace framebridge;
using ui::CaptureController;
using ui::MainWindow;

namespace {

const shm::FrameGeometry PUBLISHED{64, 48, shm::PixelFormat::Gray8};

// The colour in the middle of what the preview shows now.
QRgb preview_centre(const MainWindow& window) {
    const QImage shown = window.preview().grab().toImage();
    return shown.pixel(shown.width() / 2, shown.height() / 2);
}

QString cell(const ui::StreamsModel& model, int row, int column) {
    return model.data(model.index(row, column), Qt::DisplayRole).toString();
}

}  // namespace

class StreamPickerTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        QVERIFY(dir_.isValid());
        settings_ = ui::test::empty_settings(dir_);
        form_ = ui::test::small_form();
        name_ = framebridge::test::unique_stream_name();
        window_ = ui::test::shown_window(*settings_, form_);
        picker_ = window_->findChild<QComboBox*>("stream_picker");
        QVERIFY(picker_ != nullptr);
        QVERIFY(!picker_->isEnabled());
        QTest::mouseClick(window_->findChild<QPushButton*>("start"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(window_->controller().state(), CaptureController::State::Running,
                                  10000);
    }

    void cleanup() {
        window_.reset();
        for (const std::string& segment : {form_.name.toStdString(), name_}) {
            QVERIFY2(!QFile::exists(QString::fromStdString(shm::SharedSegment::location(segment))),
                     segment.c_str());
        }
    }

    void showsTheCaptureFirstAndEveryPublishedStream() {
        QTRY_COMPARE_WITH_TIMEOUT(picker_->count(), 1, 5000);
        QCOMPARE(picker_->currentText(), form_.name + " · capture · 320×240 BGR8");

        ui::test::TestPublisher publisher(window_->controller().info().port, name_, PUBLISHED);

        QTRY_COMPARE_WITH_TIMEOUT(picker_->count(), 2, 5000);
        QCOMPARE(picker_->itemText(1),
                 QString::fromStdString(name_) + " · published by a client · 64×48 GRAY8");
        QCOMPARE(picker_->currentIndex(), 0);
        const ui::StreamsModel& streams = window_->streams_model();
        QCOMPARE(streams.rowCount(), 2);
        QCOMPARE(cell(streams, 1, ui::StreamsModel::Name), QString::fromStdString(name_));
        QCOMPARE(cell(streams, 1, ui::StreamsModel::Producer), QString("client"));
        publisher.publish_filled(7);
        QTRY_COMPARE_WITH_TIMEOUT(cell(streams, 1, ui::StreamsModel::Published), QString("1"),
                                  5000);
    }

    void previewsThePickedStreamAndSaysWhenItEnds() {
        auto publisher = std::make_unique<ui::test::TestPublisher>(
            window_->controller().info().port, name_, PUBLISHED);
        publisher->publish_filled(200);
        QTRY_COMPARE_WITH_TIMEOUT(picker_->count(), 2, 5000);

        picker_->setFocus();
        QTest::keyClick(picker_, Qt::Key_Down);  // as a user picks it

        QCOMPARE(picker_->currentIndex(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(preview_centre(*window_), qRgb(200, 200, 200), 5000);

        publisher->close();

        const QString ended =
            QString("Stream '%1' ended: its publisher closed it.").arg(name_.c_str());
        QTRY_VERIFY_WITH_TIMEOUT(window_->preview().message().startsWith(ended), 5000);
        QCOMPARE(picker_->currentText(), QString::fromStdString(name_) + " · ended");

        // The script runs again: the same name, counting from frame 1 again.
        publisher = std::make_unique<ui::test::TestPublisher>(window_->controller().info().port,
                                                              name_, PUBLISHED);
        publisher->publish_filled(90);
        QTRY_COMPARE_WITH_TIMEOUT(preview_centre(*window_), qRgb(90, 90, 90), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(picker_->currentText().contains("published by a client"), 5000);

        QTest::keyClick(picker_, Qt::Key_Up);

        QTRY_VERIFY_WITH_TIMEOUT(window_->preview().image_size().isValid() &&
                                     preview_centre(*window_) != qRgb(90, 90, 90),
                                 5000);
        QCOMPARE(picker_->currentIndex(), 0);
    }

    void aSnapshotIsOfThePreviewedStream() {
        ui::test::TestPublisher publisher(window_->controller().info().port, name_, PUBLISHED);
        publisher.publish_filled(120);
        QTRY_COMPARE_WITH_TIMEOUT(picker_->count(), 2, 5000);
        picker_->setFocus();
        QTest::keyClick(picker_, Qt::Key_Down);
        window_->set_snapshot_dir(dir_.filePath("snapshots"));

        const QString path = window_->save_snapshot();

        const QImage saved(path);
        QCOMPARE(saved.size(), QSize(64, 48));
        QCOMPARE(saved.pixel(5, 5), qRgb(120, 120, 120));
    }

    void theFullScreenPreviewIsThePreviewAlone() {
        QVERIFY(picker_->isVisible());

        window_->set_preview_full_screen(true);

        QVERIFY(!picker_->isVisible());
        window_->set_preview_full_screen(false);
        QVERIFY(picker_->isVisible());
    }

    void stoppingGoesBackToTheFirstStream() {
        ui::test::TestPublisher publisher(window_->controller().info().port, name_, PUBLISHED);
        QTRY_COMPARE_WITH_TIMEOUT(picker_->count(), 2, 5000);
        picker_->setFocus();
        QTest::keyClick(picker_, Qt::Key_Down);

        QTest::mouseClick(window_->findChild<QPushButton*>("stop"), Qt::LeftButton);

        QCOMPARE(picker_->count(), 0);
        QVERIFY(!picker_->isEnabled());
        QCOMPARE(window_->streams_model().rowCount(), 0);
        QTest::mouseClick(window_->findChild<QPushButton*>("start"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(picker_->count(), 1, 10000);
        QCOMPARE(picker_->currentIndex(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(window_->preview().message().isEmpty(), 5000);
    }

private:
    QTemporaryDir dir_;
    std::unique_ptr<QSettings> settings_;
    ui::CaptureForm form_;
    std::unique_ptr<MainWindow> window_;
    QComboBox* picker_ = nullptr;
    std::string name_;
};

FRAMEBRIDGE_UI_TEST(StreamPickerTest)
#include "stream_picker_test.moc"
