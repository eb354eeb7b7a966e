#include "models/stream_state_text.hpp"
#include "support/ui_test.hpp"

#include <QTest>

using framebridge::protocol::StreamState;
using framebridge::ui::stream_state_text;

class StreamStateTextTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aLiveStreamNeedsNoWords() {
        QCOMPARE(stream_state_text(StreamState::Live, "file 'a.mp4'"), QString());
    }

    void theEndOfAFileIsSaidAndWhatToDo() {
        const QString sut = stream_state_text(StreamState::Ended, "file 'a.mp4' 64x48 BGR8");

        QVERIFY2(sut.startsWith("The file ended: file 'a.mp4' 64x48 BGR8.") &&
                     sut.contains("Play again"),
                 qPrintable(sut));
    }

    void aLostSourceIsBeingOpenedAgain() {
        QCOMPARE(stream_state_text(StreamState::Lost, "camera:0"),
                 QString("Lost camera:0; opening it again…"));
    }
};

FRAMEBRIDGE_UI_TEST(StreamStateTextTest)
#include "stream_state_text_test.moc"
