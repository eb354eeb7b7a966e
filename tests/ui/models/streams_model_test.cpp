#include "models/streams_model.hpp"
#include "support/stats_maker.hpp"
#include "support/ui_test.hpp"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace framebridge;
using protocol::Producer;
using ui::StreamsModel;
using ui::test::stream_info;

namespace {

QString cell(const StreamsModel& model, int row, int column) {
    return model.data(model.index(row, column), Qt::DisplayRole).toString();
}

}  // namespace

class StreamsModelTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsEveryStreamWithItsFigures() {
        StreamsModel sut;
        QAbstractItemModelTester tester(&sut);
        app::StreamInfo edges = stream_info("edges", Producer::Client, 42);
        edges.fps = 0;
        edges.clients = 3;

        sut.set_streams({stream_info("front", Producer::Capture), edges});

        QCOMPARE(sut.rowCount(), 2);
        QCOMPARE(cell(sut, 0, StreamsModel::Name), QString("front"));
        QCOMPARE(cell(sut, 0, StreamsModel::Producer), QString("capture"));
        QCOMPARE(cell(sut, 0, StreamsModel::Size), QString("640×480 BGR8"));
        QCOMPARE(cell(sut, 0, StreamsModel::Fps), QString("30.0"));
        QCOMPARE(cell(sut, 1, StreamsModel::Producer), QString("client"));
        QCOMPARE(cell(sut, 1, StreamsModel::Size), QString("320×240 GRAY8"));
        QCOMPARE(cell(sut, 1, StreamsModel::Fps), QString("–"));
        QCOMPARE(cell(sut, 1, StreamsModel::Published), QString("42"));
        QCOMPARE(cell(sut, 1, StreamsModel::Clients), QString("3"));
        QCOMPARE(
            sut.headerData(StreamsModel::Published, Qt::Horizontal, Qt::DisplayRole).toString(),
            QString("Frames"));
    }

    void newFiguresOfTheSameStreamsChangeOnlyTheData() {
        StreamsModel sut;
        sut.set_streams({stream_info("front", Producer::Capture, 1)});
        QSignalSpy resets(&sut, &StreamsModel::modelReset);
        QSignalSpy changes(&sut, &StreamsModel::dataChanged);

        sut.set_streams({stream_info("front", Producer::Capture, 2)});

        QCOMPARE(resets.count(), 0);
        QCOMPARE(changes.count(), 1);
        QCOMPARE(cell(sut, 0, StreamsModel::Published), QString("2"));
    }

    void aStreamThatGoesLeavesTheTable() {
        StreamsModel sut;
        QAbstractItemModelTester tester(&sut);
        sut.set_streams(
            {stream_info("front", Producer::Capture), stream_info("edges", Producer::Client)});

        sut.set_streams({stream_info("front", Producer::Capture)});

        QCOMPARE(sut.rowCount(), 1);
        sut.set_streams({});
        QCOMPARE(sut.rowCount(), 0);
    }
};

FRAMEBRIDGE_UI_TEST(StreamsModelTest)
#include "streams_model_test.moc"
