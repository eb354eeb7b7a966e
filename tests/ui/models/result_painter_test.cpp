#include "models/result_painter.hpp"
#include "models/result_palette.hpp"
#include "support/pixel_count.hpp"
#include "support/ui_test.hpp"

#include <QImage>
#include <QPainter>
#include <QTest>

using namespace framebridge;
using ui::ResultPlacement;
using ui::ShownResult;
using ui::test::pixels_of;

namespace {

const QColor BACKGROUND(40, 40, 40);

// A 200x100 frame drawn twice its size at (20, 10) on a 460x240 image, as the preview fits it.
const ResultPlacement PLACEMENT{QRectF(20, 10, 400, 200), QSize(200, 100),
                                QRectF(20, 10, 400, 200)};

ShownResult shown(const protocol::Result& result, double opacity = 1.0) {
    ShownResult entry;
    entry.sender_id = 1;
    entry.sender = "faces.py #1";
    entry.colour = ui::result_colour(0);
    entry.opacity = opacity;
    entry.result = &result;
    entry.results_per_second = 29.8;
    return entry;
}

QImage painted(const std::vector<ShownResult>& results, const ResultPlacement& where = PLACEMENT) {
    QImage image(460, 240, QImage::Format_RGB32);
    image.fill(BACKGROUND);
    QPainter painter(&image);
    ui::paint_results(painter, results, where);
    return image;
}

}  // namespace

class ResultPainterTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aBoxIsDrawnWhereItIsInTheFrameScaledToThePreview() {
        protocol::Result result;
        result.boxes = {{50, 40, 30, 20}};  // at 2x from (20, 10): x 120..180, y 90..130

        const QImage image = painted({shown(result)});

        const QColor colour = ui::result_colour(0);
        QCOMPARE(image.pixelColor(150, 90), colour);       // top edge
        QCOMPARE(image.pixelColor(150, 130), colour);      // bottom edge
        QCOMPARE(image.pixelColor(120, 110), colour);      // left edge
        QCOMPARE(image.pixelColor(180, 110), colour);      // right edge
        QCOMPARE(image.pixelColor(150, 110), BACKGROUND);  // inside
        QCOMPARE(image.pixelColor(150, 140), BACKGROUND);  // below
        // Nowhere else: the box and nothing in the lower part of the image.
        QCOMPARE(pixels_of(image, QRect(0, 140, 460, 100), colour), 0);
        QCOMPARE(pixels_of(image, QRect(190, 60, 200, 80), colour), 0);
    }

    void aFadedResultIsDrawnFainter() {
        protocol::Result result;
        result.boxes = {{50, 40, 30, 20}};

        const QColor edge = painted({shown(result, 0.3)}).pixelColor(150, 90);

        const QColor colour = ui::result_colour(0);
        QVERIFY(edge != colour);
        QVERIFY(edge != BACKGROUND);
        QVERIFY(qAbs(edge.green() -
                     (BACKGROUND.green() + 0.3 * (colour.green() - BACKGROUND.green()))) < 3);
    }

    void pointsAreDiscsAndPolylinesLinesInTheSendersColour() {
        protocol::Result result;
        result.points = {{100, 80}};                // at (220, 170)
        result.polylines = {{{10, 90}, {60, 90}}};  // (40, 190) to (140, 190)

        const QImage image = painted({shown(result)});

        const QColor colour = ui::result_colour(0);
        QCOMPARE(image.pixelColor(220, 170), colour);
        QCOMPARE(image.pixelColor(226, 170), BACKGROUND);
        QCOMPARE(image.pixelColor(90, 190), colour);
        QCOMPARE(image.pixelColor(90, 196), BACKGROUND);
    }

    void aBoxAtTheTopOfTheFrameHasItsCaptionInside() {
        protocol::Result result;
        result.boxes = {{50, 0, 60, 40}, {50, 60, 60, 20}};
        result.labels = {"face", "face"};
        result.scores = {0.93F, 0.5F};

        const QImage image = painted({shown(result)});

        // Captions are filled with the sender's colour: inside the top box, above the other.
        const QColor colour = ui::result_colour(0);
        QVERIFY(pixels_of(image, QRect(125, 14, 30, 8), colour) > 60);
        QVERIFY(pixels_of(image, QRect(125, 120, 30, 6), colour) > 60);
    }

    void aCaptionStaysWholeAtTheRightEdgeOfTheFrame() {
        protocol::Result result;
        result.boxes = {{195, 50, 5, 20}};  // at (410, 110), 10 px from the frame's right edge
        result.labels = {"a long label"};

        const QImage image = painted({shown(result)});

        // The caption ends at the frame's edge (x 420) and begins well left of the box.
        const QColor colour = ui::result_colour(0);
        QCOMPARE(image.pixelColor(419, 96), colour);
        QVERIFY(pixels_of(image, QRect(350, 96, 40, 4), colour) > 40);
    }

    void captionsSayLabelAndScore_data() {
        QTest::addColumn<QStringList>("labels");
        QTest::addColumn<QList<float>>("scores");
        QTest::addColumn<QString>("caption");
        ui::test::add_row("both", QStringList{"face"}, QList<float>{0.934F}, "face 0.93");
        ui::test::add_row("label", QStringList{"face"}, QList<float>{}, "face");
        ui::test::add_row("score", QStringList{}, QList<float>{0.5F}, "0.50");
        ui::test::add_row("neither", QStringList{}, QList<float>{}, "");
    }

    void captionsSayLabelAndScore() {
        QFETCH(QStringList, labels);
        QFETCH(QList<float>, scores);
        QFETCH(QString, caption);
        protocol::Result result;
        result.boxes = {{0, 0, 1, 1}};
        for (const QString& label : labels) {
            result.labels.push_back(label.toStdString());
        }
        result.scores.assign(scores.begin(), scores.end());

        QCOMPARE(ui::box_caption(result, 0), caption);
    }

    void theLegendNamesTheSenderAndItsRate() {
        protocol::Result result;
        QCOMPARE(ui::legend_text(shown(result)), QString("faces.py #1 · 29.8/s"));
    }

    void textAndLegendGoInTheTopCornersOfTheAreaSeen() {
        protocol::Result result;
        result.text = "3 faces";

        const QImage image = painted({shown(result)});

        const QColor colour = ui::result_colour(0);
        // The text is in the sender's colour at the top left; the legend's swatch at the top
        // right; the middle is untouched.
        QVERIFY(pixels_of(image, QRect(20, 10, 100, 40), colour, 40) > 0);
        QVERIFY(pixels_of(image, QRect(220, 10, 200, 40), colour) > 0);
        QCOMPARE(pixels_of(image, QRect(20, 60, 400, 150), colour, 40), 0);
        QCOMPARE(image.pixelColor(220, 120), BACKGROUND);
    }

    void nothingIsDrawnOutsideTheFrame() {
        protocol::Result result;
        result.boxes = {{150, 50, 100, 100}};  // from (320, 110) to past the frame's right edge

        const QImage image = painted({shown(result)});

        QCOMPARE(image.pixelColor(400, 110), ui::result_colour(0));
        QCOMPARE(pixels_of(image, QRect(421, 100, 39, 20), ui::result_colour(0)), 0);
    }
};

FRAMEBRIDGE_UI_TEST(ResultPainterTest)
#include "result_painter_test.moc"
