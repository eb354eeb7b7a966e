#include "models/result_overlay.hpp"
#include "models/result_palette.hpp"
#include "support/result_maker.hpp"
#include "support/ui_test.hpp"

#include <QSet>
#include <QTest>

using namespace framebridge;
using ui::ResultOverlay;
using ui::test::result_event;

class ResultOverlayTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsTheNewestResultOfEachSenderForTheFrameShown() {
        ResultOverlay sut;
        sut.add(result_event(1, 10));
        sut.add(result_event(1, 11));
        sut.add(result_event(2, 9));

        const auto shown = sut.shown(11, 0);

        QCOMPARE(shown.size(), std::size_t{2});
        QCOMPARE(shown[0].sender_id, 1u);
        QCOMPARE(shown[0].sender, QString("script.py #1"));
        QCOMPARE(shown[0].result->seq, std::uint64_t{11});
        QCOMPARE(shown[1].result->seq, std::uint64_t{9});
    }

    void aResultForAFrameNotShownYetWaitsAndThePreviousOneIsDrawn() {
        ResultOverlay sut;
        sut.add(result_event(1, 10));
        sut.add(result_event(1, 12));  // the script is ahead of the preview

        QCOMPARE(sut.shown(11, 0)[0].result->seq, std::uint64_t{10});
        QCOMPARE(sut.shown(12, 0)[0].result->seq, std::uint64_t{12});
    }

    void aSenderWithOnlyResultsAheadIsInTheLegendWithNothingDrawn() {
        ResultOverlay sut;
        sut.add(result_event(1, 12));

        const auto shown = sut.shown(11, 0);

        QCOMPARE(shown.size(), std::size_t{1});
        QVERIFY(shown[0].result == nullptr);
    }

    void aResultIsFreshForAFewFramesThenFadesThenGoes() {
        ResultOverlay sut;
        sut.add(result_event(1, 100));

        QCOMPARE(sut.shown(100 + ResultOverlay::FRESH_FRAMES, 0)[0].opacity, 1.0);
        const double fading = sut.shown(100 + ResultOverlay::FRESH_FRAMES + 1, 0)[0].opacity;
        QVERIFY(fading < 1.0);
        const double faded = sut.shown(100 + ResultOverlay::GONE_FRAMES, 0)[0].opacity;
        QVERIFY(faded < fading);
        QCOMPARE(faded, ResultOverlay::FADED_OPACITY);
        QVERIFY(sut.shown(100 + ResultOverlay::GONE_FRAMES + 1, 0).empty());
    }

    void eachSenderKeepsItsColourAndSendersOnScreenGetDistinctOnes() {
        ResultOverlay sut;
        for (std::uint32_t id = 1; id <= ui::RESULT_COLOURS; ++id) {
            sut.add(result_event(id * 8, 1));  // ids that share a colour modulo the palette
        }
        QSet<QRgb> colours;
        for (const auto& shown : sut.shown(1, 0)) {
            colours.insert(shown.colour.rgb());
        }
        QCOMPARE(colours.size(), ui::RESULT_COLOURS);

        const int before = sut.colour_index(16);
        sut.add(result_event(16, 2));
        QCOMPARE(sut.colour_index(16), before);
        QCOMPARE(sut.shown(2, 0)[1].colour, ui::result_colour(before));
    }

    void aSenderComingBackAfterItsResultsWentHasItsColourStill() {
        ResultOverlay sut;
        sut.add(result_event(1, 1));
        sut.add(result_event(2, 1));
        const int colour = sut.colour_index(2);
        QVERIFY(sut.shown(100, 0).empty());

        sut.add(result_event(2, 100));  // alone now: the first colour would be free

        QCOMPARE(sut.colour_index(2), colour);
    }

    void countsEachSendersResultsPerSecond() {
        ResultOverlay sut;
        for (std::int64_t ms = 0; ms < 1000; ms += 100) {
            sut.add(result_event(1, 1, ms));
        }

        QCOMPARE(sut.shown(1, 999)[0].results_per_second, 10.0);
        QCOMPARE(sut.shown(1, 1450)[0].results_per_second, 5.0);
    }

    void clearForgetsResultsAndColours() {
        ResultOverlay sut;
        sut.add(result_event(5, 1));

        sut.clear();

        QVERIFY(sut.shown(1, 0).empty());
        QCOMPARE(sut.colour_index(5), -1);
    }
};

FRAMEBRIDGE_UI_TEST(ResultOverlayTest)
#include "result_overlay_test.moc"
