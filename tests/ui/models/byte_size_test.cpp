#include "models/byte_size.hpp"
#include "support/ui_test.hpp"

#include <QTest>

using framebridge::ui::test::add_row;

class ByteSizeTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aSizeIsShownInAUnitThatKeepsItsDigits_data() {
        QTest::addColumn<qulonglong>("bytes");
        QTest::addColumn<QString>("text");
        add_row("a 7x5 segment", qulonglong{4608}, "4.6 kB");
        add_row("bytes", qulonglong{999}, "999 bytes");
        add_row("4K triple buffer", qulonglong{74'977'280}, "75.0 MB");
        add_row("recording", qulonglong{1'250'000'000}, "1.25 GB");
    }

    void aSizeIsShownInAUnitThatKeepsItsDigits() {
        QFETCH(qulonglong, bytes);
        QFETCH(QString, text);

        QCOMPARE(framebridge::ui::byte_size_text(bytes), text);
    }
};

FRAMEBRIDGE_UI_TEST(ByteSizeTest)
#include "byte_size_test.moc"
