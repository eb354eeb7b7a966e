#include "controllers/result_inbox.hpp"
#include "support/result_maker.hpp"
#include "support/ui_test.hpp"

#include <QTest>

using namespace framebridge;
using ui::ResultInbox;
using ui::test::result_event;

namespace {

app::ResultEvent on_stream(const std::string& stream, std::uint64_t seq) {
    app::ResultEvent event = result_event(1, seq);
    event.stream = stream;
    return event;
}

}  // namespace

class ResultInboxTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void keepsOnlyTheResultsOfTheStreamFollowed() {
        ResultInbox sut;
        sut.set_first_stream("front");

        sut.put(on_stream("front", 1));
        sut.put(on_stream("edges", 2));
        QCOMPARE(sut.take().size(), std::size_t{1});

        sut.follow("edges");
        sut.put(on_stream("front", 3));
        sut.put(on_stream("edges", 4));
        const auto taken = sut.take();
        QCOMPARE(taken.size(), std::size_t{1});
        QCOMPARE(taken[0].result.seq, std::uint64_t{4});
    }

    void followingAnotherStreamDropsWhatWaits() {
        ResultInbox sut;
        sut.set_first_stream("front");
        sut.put(on_stream("front", 1));

        sut.follow("edges");

        QVERIFY(sut.take().empty());
    }

    void saysToWakeTheGuiOnlyForTheFirstResultUntilTaken() {
        ResultInbox sut;
        sut.set_first_stream("front");

        QVERIFY(sut.put(on_stream("front", 1)));
        QVERIFY(!sut.put(on_stream("front", 2)));
        QVERIFY(!sut.put(on_stream("other", 3)));
        QCOMPARE(sut.take().size(), std::size_t{2});
        QVERIFY(sut.put(on_stream("front", 4)));
    }

    void aSenderTheGuiIsSlowForKeepsItsNewestResults() {
        ResultInbox sut;
        sut.set_first_stream("front");
        for (std::uint64_t seq = 1; seq <= ResultInbox::MAX_WAITING_PER_SENDER + 10; ++seq) {
            sut.put(result_event(1, seq));
        }
        sut.put(result_event(2, 1));

        const auto taken = sut.take();

        QCOMPARE(taken.size(), ResultInbox::MAX_WAITING_PER_SENDER + 1);
        QCOMPARE(taken.front().result.seq, std::uint64_t{11});
        QCOMPARE(taken.back().sender_id, 2u);
    }
};

FRAMEBRIDGE_UI_TEST(ResultInboxTest)
#include "result_inbox_test.moc"
