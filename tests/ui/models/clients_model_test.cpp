#include "models/clients_model.hpp"
#include "support/stats_maker.hpp"
#include "support/ui_test.hpp"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using framebridge::ui::test::add_row;

using namespace framebridge;
using ui::ClientsModel;
using ui::test::client_stats;

namespace {

QString cell(const ClientsModel& model, int row, int column) {
    return model.data(model.index(row, column), Qt::DisplayRole).toString();
}

}  // namespace

class ClientsModelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aRowShowsEachColumnOfAClient_data() {
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("text");
        add_row("name", int{ClientsModel::Name}, "Client", "edges.py");
        add_row("pid", int{ClientsModel::Pid}, "PID", "1003");
        add_row("stream", int{ClientsModel::Stream}, "Stream", "front");
        add_row("frames", int{ClientsModel::Frames}, "Frames", "30");
        add_row("skipped", int{ClientsModel::Skipped}, "Skipped", "3");
        add_row("ready p50", int{ClientsModel::ReadyP50}, "Ready p50", "0.25 ms");
        add_row("ready p99", int{ClientsModel::ReadyP99}, "Ready p99", "0.90 ms");
        add_row("hold p50", int{ClientsModel::HoldP50}, "Hold p50", "1.00 ms");
        add_row("hold p99", int{ClientsModel::HoldP99}, "Hold p99", "2.00 ms");
        add_row("results/s", int{ClientsModel::ResultsPerSecond}, "Results/s", "0.0");
        add_row("result p50", int{ClientsModel::ResultP50}, "Result p50", "30.00 ms");
        add_row("result p99", int{ClientsModel::ResultP99}, "Result p99", "45.00 ms");
    }

    void aRowShowsEachColumnOfAClient() {
        QFETCH(int, column);
        QFETCH(QString, header);
        QFETCH(QString, text);
        ClientsModel sut;
        QAbstractItemModelTester tester(&sut);

        sut.set_clients({client_stats(3, "edges.py")}, 0);

        QCOMPARE(sut.rowCount(), 1);
        QCOMPARE(sut.columnCount(), int{ClientsModel::ColumnCount});
        QCOMPARE(sut.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString(), header);
        QCOMPARE(cell(sut, 0, column), text);
    }

    void theStreamColumnSaysWhatItPublishesAfterWhatItReads_data() {
        QTest::addColumn<QString>("reads");
        QTest::addColumn<QString>("publishes");
        QTest::addColumn<QString>("text");
        add_row("reads", "front", "", "front");
        add_row("publishes", "", "edges", "publishes edges");
        add_row("both", "front", "edges", "front, publishes edges");
        add_row("neither yet", "", "", "");
    }

    void theStreamColumnSaysWhatItPublishesAfterWhatItReads() {
        QFETCH(QString, reads);
        QFETCH(QString, publishes);
        QFETCH(QString, text);
        ClientsModel sut;
        auto client = client_stats(1, "canny_edges.py");
        client.stream = reads.toStdString();
        client.publishes = publishes.toStdString();

        sut.set_clients({client}, 0);

        QCOMPARE(cell(sut, 0, ClientsModel::Stream), text);
        QCOMPARE(sut.data(sut.index(0, ClientsModel::Stream), Qt::TextAlignmentRole), QVariant());
    }

    void aClientWithoutSamplesShowsNoLatency() {
        ClientsModel sut;
        auto client = client_stats(1, "new");
        client.ready = {};
        client.to_result = {};

        sut.set_clients({client}, 0);

        QCOMPARE(cell(sut, 0, ClientsModel::ReadyP50), QString("–"));
        QCOMPARE(cell(sut, 0, ClientsModel::ResultP99), QString("–"));
    }

    void resultsPerSecondFollowTheClientsCountOverTheLastSecond() {
        ClientsModel sut;
        auto client = client_stats(1, "faces.py");
        client.results = 100;
        sut.set_clients({client}, 0);
        client.results = 115;
        sut.set_clients({client}, 500);

        QCOMPARE(cell(sut, 0, ClientsModel::ResultsPerSecond), QString("30.0"));
        QCOMPARE(sut.data(sut.index(0, ClientsModel::ResultsPerSecond), Qt::TextAlignmentRole),
                 QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter));
    }

    void aClientThatSentNoResultsShowsNoRate() {
        ClientsModel sut;
        auto client = client_stats(1, "reader.py");
        client.results = 0;
        sut.set_clients({client}, 0);
        sut.set_clients({client}, 500);

        QCOMPARE(cell(sut, 0, ClientsModel::ResultsPerSecond), QString("–"));
    }

    void aNewClientUnderAnOldIdStartsItsRateAgain() {
        ClientsModel sut;
        auto client = client_stats(1, "faces.py");
        client.results = 1000;
        sut.set_clients({client}, 0);
        sut.set_clients({}, 250);
        client.results = 10;
        sut.set_clients({client}, 500);
        client.results = 20;
        sut.set_clients({client}, 1000);

        QCOMPARE(cell(sut, 0, ClientsModel::ResultsPerSecond), QString("20.0"));
    }

    void rowsFollowClientsByIdAcrossUpdates() {
        ClientsModel sut;
        QAbstractItemModelTester tester(&sut);
        sut.set_clients({client_stats(1, "a"), client_stats(2, "b"), client_stats(3, "c")}, 0);
        QSignalSpy removed(&sut, &ClientsModel::rowsRemoved);
        QSignalSpy inserted(&sut, &ClientsModel::rowsInserted);
        QSignalSpy changed(&sut, &ClientsModel::dataChanged);

        auto c_again = client_stats(3, "c");
        c_again.frames = 99;
        sut.set_clients({c_again, client_stats(4, "d"), client_stats(1, "a")}, 0);

        QCOMPARE(removed.count(), 1);   // b left
        QCOMPARE(inserted.count(), 1);  // d came
        QCOMPARE(changed.count(), 2);   // a and c stayed
        QCOMPARE(sut.rowCount(), 3);
        QCOMPARE(cell(sut, 0, ClientsModel::Name), QString("a"));
        QCOMPARE(cell(sut, 1, ClientsModel::Name), QString("c"));
        QCOMPARE(cell(sut, 1, ClientsModel::Frames), QString("99"));
        QCOMPARE(cell(sut, 2, ClientsModel::Name), QString("d"));
    }

    void noClientsNoRows() {
        ClientsModel sut;
        sut.set_clients({client_stats(1, "a")}, 0);

        sut.set_clients({}, 0);

        QCOMPARE(sut.rowCount(), 0);
    }
};

FRAMEBRIDGE_UI_TEST(ClientsModelTest)
#include "clients_model_test.moc"
