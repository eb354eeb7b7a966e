#include "widgets/script_log.hpp"
#include "controllers/script_runner.hpp"
#include "support/ui_test.hpp"

#include <QApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>

using namespace framebridge::ui;

class ScriptLogTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        runner_ = std::make_unique<ScriptRunner>();
        sut_ = std::make_unique<ScriptLog>(*runner_);
        sut_->resize(400, 300);
        sut_->show();
    }

    void cleanup() {
        sut_.reset();
        runner_.reset();
    }

    void showsTheCommandWhatWasPrintedAndHowTheScriptEnded() {
        Q_EMIT runner_->started("/usr/bin/python3 x.py --port 7600");
        Q_EMIT runner_->output("seq 1\nseq");
        Q_EMIT runner_->output(" 2");

        Q_EMIT runner_->finished("exited with code 3");

        QCOMPARE(sut_->text(), QString("$ /usr/bin/python3 x.py --port 7600\nseq 1\nseq 2\n"
                                       "[the script exited with code 3]\n"));
        QCOMPARE(sut_->status(), QString("The script exited with code 3."));
    }

    void keepsItsHorizontalPositionAsLinesArrive() {
        auto* log = sut_->findChild<QPlainTextEdit*>("script_log");
        Q_EMIT runner_->output(QString(500, 'x') + "\n");
        QScrollBar* across = log->horizontalScrollBar();
        QVERIFY(across->maximum() > 0);
        across->setValue(across->maximum() / 2);
        const int kept = across->value();

        Q_EMIT runner_->output(QString(600, 'y') + "\n");

        QCOMPARE(across->value(), kept);
    }

    void followsTheNewestLinesAcrossAResize() {
        auto* log = sut_->findChild<QPlainTextEdit*>("script_log");
        QScrollBar* down = log->verticalScrollBar();
        for (int line = 0; line < 200; ++line) {
            Q_EMIT runner_->output(QString("line %1\n").arg(line));
        }
        QTRY_VERIFY(down->maximum() > 0);
        QCOMPARE(down->value(), down->maximum());

        sut_->resize(400, 150);
        QApplication::processEvents();
        Q_EMIT runner_->output("newest\n");
        QApplication::processEvents();

        QCOMPARE(down->value(), down->maximum());
    }

    void staysWhereTheUserScrolledAsLinesArrive() {
        auto* log = sut_->findChild<QPlainTextEdit*>("script_log");
        QScrollBar* down = log->verticalScrollBar();
        for (int line = 0; line < 200; ++line) {
            Q_EMIT runner_->output(QString("line %1\n").arg(line));
        }
        QTRY_VERIFY(down->maximum() > 0);
        down->setValue(10);

        Q_EMIT runner_->output("newest\n");
        QApplication::processEvents();

        QCOMPARE(down->value(), 10);
    }

    void stderrShowsInAnotherColourThanStdout() {
        auto* log = sut_->findChild<QPlainTextEdit*>("script_log");

        Q_EMIT runner_->output("printed\n");
        Q_EMIT runner_->error_output("Traceback\n");

        const QTextDocument* text = log->document();
        const QColor printed =
            text->findBlock(0).begin().fragment().charFormat().foreground().color();
        const QColor error =
            text->findBlockByNumber(1).begin().fragment().charFormat().foreground().color();
        QCOMPARE(text->findBlockByNumber(1).text(), QString("Traceback"));
        QVERIFY2(printed != error, qPrintable(error.name()));
    }

private:
    std::unique_ptr<ScriptRunner> runner_;
    std::unique_ptr<ScriptLog> sut_;
};

FRAMEBRIDGE_UI_TEST(ScriptLogTest)
#include "script_log_test.moc"
