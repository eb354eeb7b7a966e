#include "models/recent_scripts.hpp"
#include "support/script_file.hpp"
#include "support/ui_test.hpp"

#include <QTemporaryDir>
#include <QTest>

using namespace framebridge::ui;

class RecentScriptsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theLastRunComesFirstAndNoScriptTwice() {
        QStringList sut;

        sut = remember_script(sut, "/a/one.py");
        sut = remember_script(sut, "/a/two.py");
        sut = remember_script(sut, "/a/../a/one.py");

        QCOMPARE(sut, QStringList({"/a/one.py", "/a/two.py"}));
    }

    void theOldestFallOffPastTheLimit() {
        QStringList sut;
        for (int i = 0; i < RECENT_SCRIPTS_KEPT + 3; ++i) {
            sut = remember_script(sut, QString("/s/%1.py").arg(i));
        }

        QCOMPARE(sut.size(), RECENT_SCRIPTS_KEPT);
        QCOMPARE(sut.first(), QString("/s/%1.py").arg(RECENT_SCRIPTS_KEPT + 2));
        QCOMPARE(sut.last(), QString("/s/3.py"));
    }

    void aMissingFileIsListedAsMissingAndTheOthersAreNumbered() {
        QTemporaryDir dir;
        const QString here = test::write_script(dir, "here & now.py", "print(1)\n");
        const QString gone = dir.filePath("gone.py");

        const QList<RecentScriptEntry> sut = recent_script_entries({here, gone});

        QCOMPARE(sut.size(), 2);
        QCOMPARE(sut[0].text, QString("&1 here && now.py"));
        QCOMPARE(sut[0].path, here);
        QVERIFY(sut[0].exists);
        QCOMPARE(sut[1].text, QString("&2 gone.py (missing)"));
        QVERIFY(!sut[1].exists);
    }
};

FRAMEBRIDGE_UI_TEST(RecentScriptsTest)
#include "recent_scripts_test.moc"
