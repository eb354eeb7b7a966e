#include "models/snapshot.hpp"
#include "support/ui_test.hpp"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <stdexcept>

using namespace framebridge::ui;

namespace {

Snapshot a_snapshot() {
    Snapshot snapshot;
    snapshot.image = QImage(64, 48, QImage::Format_RGB888);
    snapshot.image.fill(Qt::red);
    snapshot.seq = 42;
    snapshot.capture_ns = 1000;
    snapshot.publish_ns = 2000;
    snapshot.source = "synthetic 64x48 BGR8";
    return snapshot;
}

}  // namespace

class SnapshotTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void writesThePngAndItsMetadataBesideIt() {
        QTemporaryDir dir;
        const QDateTime when(QDate(2026, 11, 30), QTime(20, 15, 7));

        const QString sut = save_snapshot(a_snapshot(), dir.filePath("new/folder"), when);

        QCOMPARE(sut, dir.filePath("new/folder/framebridge-42-20261130-201507.png"));
        QCOMPARE(QImage(sut).size(), QSize(64, 48));
        QCOMPARE(QImage(sut).pixelColor(3, 3), QColor(Qt::red));
        QFile meta(dir.filePath("new/folder/framebridge-42-20261130-201507.json"));
        QVERIFY(meta.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(meta.readAll()).object();
        QCOMPARE(json["seq"].toInteger(), 42);
        QCOMPARE(json["height"].toInt(), 48);
        QCOMPARE(json["capture_ns"].toInteger(), 1000);
        QCOMPARE(json["publish_ns"].toInteger(), 2000);
        QCOMPARE(json["source"].toString(), QString("synthetic 64x48 BGR8"));
    }

    void aFolderThatCannotBeMadeIsAnErrorNamingIt() {
        QTemporaryDir dir;
        QFile blocker(dir.filePath("file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));

        try {
            save_snapshot(a_snapshot(), dir.filePath("file/sub"), QDateTime::currentDateTime());
            QFAIL("no error");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString(e.what()).contains("file/sub"), e.what());
        }
    }
};

FRAMEBRIDGE_UI_TEST(SnapshotTest)
#include "snapshot_test.moc"
