#include "widgets/preview_widget.hpp"
#include "models/result_palette.hpp"
#include "support/pixel_count.hpp"
#include "support/result_maker.hpp"
#include "support/ui_test.hpp"

#include <QImage>
#include <QTest>

using namespace framebridge;
using ui::PreviewWidget;
using ui::test::pixels_of;
using ui::test::result_event;

namespace {

const QColor GRAY(90, 90, 90);

// A 200x100 frame shown at twice its size, filling a 400x200 preview.
void show_gray_frame(PreviewWidget& sut, quint64 seq) {
    QImage image(400, 200, QImage::Format_RGB32);
    image.fill(GRAY);
    sut.show_frame(image, seq, QSize(200, 100));
}

QColor pixel(PreviewWidget& sut, int x, int y) {
    return sut.grab().toImage().pixelColor(x, y);
}

}  // namespace

class PreviewWidgetTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void drawsAResultOverTheFrameItNamesScaledToThePreview() {
        PreviewWidget sut;
        sut.resize(400, 200);
        show_gray_frame(sut, 5);

        sut.add_results({result_event(3, 5, 0, {50, 40, 30, 20})});  // at (100, 80) to (160, 120)

        QCOMPARE(pixel(sut, 130, 80), ui::result_colour(0));
        QCOMPARE(pixel(sut, 130, 100), GRAY);
        QCOMPARE(sut.shown_results().size(), std::size_t{1});
    }

    void aResultForALaterFrameWaitsForIt() {
        PreviewWidget sut;
        sut.resize(400, 200);
        show_gray_frame(sut, 5);

        sut.add_results({result_event(3, 6, 0, {50, 40, 30, 20})});
        QCOMPARE(pixel(sut, 130, 80), GRAY);

        show_gray_frame(sut, 6);
        QCOMPARE(pixel(sut, 130, 80), ui::result_colour(0));
    }

    void theLegendGoesBelowTheInfoOverlayWhenItIsOn() {
        PreviewWidget sut;
        sut.resize(400, 200);
        show_gray_frame(sut, 5);
        auto event = result_event(3, 5);
        event.result.boxes.clear();
        sut.add_results({event});
        const QRect top_right(200, 0, 200, 30);

        QVERIFY(pixels_of(sut.grab().toImage(), top_right, ui::result_colour(0)) > 0);
        sut.set_overlay(true);
        QCOMPARE(pixels_of(sut.grab().toImage(), top_right, ui::result_colour(0)), 0);
    }

    void clearingForgetsTheResults() {
        PreviewWidget sut;
        sut.resize(400, 200);
        show_gray_frame(sut, 5);
        sut.add_results({result_event(3, 5)});

        sut.clear_results();

        QVERIFY(sut.shown_results().empty());
    }

    void noResultsAreDrawnOverAMessage() {
        PreviewWidget sut;
        sut.add_results({result_event(3, 5)});

        sut.show_message("Stopped");

        QVERIFY(sut.shown_results().empty());
    }
};

FRAMEBRIDGE_UI_TEST(PreviewWidgetTest)
#include "preview_widget_test.moc"
