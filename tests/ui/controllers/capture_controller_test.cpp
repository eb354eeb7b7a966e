#include "controllers/capture_controller.hpp"
#include "framebridge/shm/shared_segment.hpp"
#include "support/small_capture.hpp"
#include "support/ui_test.hpp"

#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using framebridge::ui::test::add_row;

using namespace framebridge;
using ui::CaptureController;

namespace {

bool segment_exists(const QString& name) {
    return QFile::exists(QString::fromStdString(shm::SharedSegment::location(name.toStdString())));
}

}  // namespace

class CaptureControllerTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void startsAndStopsTheSyntheticSource() {
        CaptureController sut;
        QSignalSpy started(&sut, &CaptureController::started);
        QSignalSpy stopped(&sut, &CaptureController::stopped);
        const ui::CaptureForm form = ui::test::small_form();

        sut.start(form);

        QCOMPARE(sut.state(), CaptureController::State::Starting);
        QVERIFY(started.wait(10000));
        QCOMPARE(sut.state(), CaptureController::State::Running);
        QVERIFY(sut.info().port != 0);
        QVERIFY(sut.info().segment.endsWith(form.name));
        QVERIFY(sut.info().source.startsWith("synthetic 320x240"));
        QVERIFY(segment_exists(form.name));

        sut.stop();

        QCOMPARE(stopped.count(), 1);
        QCOMPARE(sut.state(), CaptureController::State::Stopped);
        QVERIFY(!segment_exists(form.name));
    }

#ifdef FRAMEBRIDGE_HAVE_RTSP
    void anRtspPortServesRtspAcrossASwitchUntilStop() {
        QTcpServer probe;  // a free port, given back before capture starts
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        ui::CaptureForm form = ui::test::small_form();
        form.rtsp_port = probe.serverPort();
        probe.close();
        CaptureController sut;
        QSignalSpy started(&sut, &CaptureController::started);
        QSignalSpy switched(&sut, &CaptureController::switched);
        QSignalSpy failed(&sut, &CaptureController::failed);
        const auto rtsp_listens = [&form] {
            QTcpSocket client;
            client.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(form.rtsp_port));
            return client.waitForConnected(2000);
        };
        sut.start(form);
        QVERIFY(started.wait(10000));
        QVERIFY(rtsp_listens());

        form.size = "160x120";
        sut.switch_to(form);
        QVERIFY(switched.wait(10000));
        QVERIFY(rtsp_listens());
        QCOMPARE(failed.count(), 0);

        sut.stop();
        QVERIFY(!rtsp_listens());
    }
#endif

    void switchingServesTheNewSourceUnderTheSameStream() {
        CaptureController sut;
        QSignalSpy started(&sut, &CaptureController::started);
        QSignalSpy switched(&sut, &CaptureController::switched);
        ui::CaptureForm form = ui::test::small_form();
        sut.start(form);
        QVERIFY(started.wait(10000));
        const std::uint16_t port = sut.info().port;
        form.size = "160x120";

        sut.switch_to(form);

        QCOMPARE(sut.state(), CaptureController::State::Switching);
        QVERIFY(switched.wait(10000));
        QCOMPARE(sut.state(), CaptureController::State::Running);
        QVERIFY2(sut.info().source.startsWith("synthetic 160x120"), qPrintable(sut.info().source));
        QCOMPARE(sut.info().port, port);
        sut.stop();
        QVERIFY(!segment_exists(form.name));
    }

    void aSourceThatCannotBeOpenedLeavesTheOldOneServing() {
        CaptureController sut;
        QSignalSpy started(&sut, &CaptureController::started);
        QSignalSpy failed(&sut, &CaptureController::failed);
        ui::CaptureForm form = ui::test::small_form();
        sut.start(form);
        QVERIFY(started.wait(10000));
        form.source = ui::choice_from_spec("/nonexistent/clip.mp4");

        sut.switch_to(form);

        QVERIFY(failed.wait(10000));
        const QString text = failed.at(0).at(0).toString();
        QVERIFY2(text.startsWith("Could not switch the source: ") &&
                     text.endsWith("Still serving synthetic 320x240 BGR8."),
                 qPrintable(text));
        QCOMPARE(sut.state(), CaptureController::State::Running);
        sut.stop();
    }

    void aBadStartIsAnErrorForAPersonAndLeavesItStopped_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("size");
        QTest::addColumn<QString>("message");
        add_row("no such file", "nonsense", "320x240", "file 'nonsense'");
        add_row("too small", "synthetic", "1x1", "rows of at least 8 bytes");
        add_row("not a size", "synthetic", "huge", "size 'huge' is not WIDTHxHEIGHT");
    }

    void aBadStartIsAnErrorForAPersonAndLeavesItStopped() {
        QFETCH(QString, source);
        QFETCH(QString, size);
        QFETCH(QString, message);
        CaptureController sut;
        QSignalSpy failed(&sut, &CaptureController::failed);
        ui::CaptureForm form = ui::test::small_form(size);
        form.source = ui::choice_from_spec(source);

        sut.start(form);

        QVERIFY(failed.count() == 1 || failed.wait(10000));
        const QString text = failed.at(0).at(0).toString();
        QVERIFY2(text.startsWith("Could not start capture: ") && text.contains(message),
                 qPrintable(text));
        QCOMPARE(sut.state(), CaptureController::State::Stopped);
        QVERIFY(!segment_exists(form.name));
    }

    void aBusyPortSaysWhatToChange() {
        QTcpServer busy;
        QVERIFY(busy.listen(QHostAddress::LocalHost));
        CaptureController sut;
        QSignalSpy failed(&sut, &CaptureController::failed);
        ui::CaptureForm form = ui::test::small_form();
        form.port = busy.serverPort();

        sut.start(form);

        QVERIFY(failed.wait(10000));
        const QString text = failed.at(0).at(0).toString();
        QVERIFY2(text.contains(QString("port %1").arg(form.port)) && text.contains("--port"),
                 qPrintable(text));
    }

    void startsAgainAfterAFailure() {
        CaptureController sut;
        QSignalSpy failed(&sut, &CaptureController::failed);
        QSignalSpy started(&sut, &CaptureController::started);
        ui::CaptureForm form = ui::test::small_form("1x1");
        sut.start(form);
        QVERIFY(failed.count() == 1 || failed.wait(10000));

        form.size = "320x240";
        sut.start(form);

        QVERIFY(started.wait(10000));
        sut.stop();
    }

    void stopWhileStartingStopsOnceStarted() {
        CaptureController sut;
        QSignalSpy stopped(&sut, &CaptureController::stopped);
        QSignalSpy started(&sut, &CaptureController::started);
        const ui::CaptureForm form = ui::test::small_form();
        sut.start(form);

        sut.stop();

        QCOMPARE(sut.state(), CaptureController::State::Stopping);
        QVERIFY(stopped.wait(10000));
        QCOMPARE(started.count(), 0);
        QCOMPARE(sut.state(), CaptureController::State::Stopped);
        QVERIFY(!segment_exists(form.name));
    }

    void shutdownWaitsForAStartUnderWay() {
        const ui::CaptureForm form = ui::test::small_form();
        {
            CaptureController sut;
            sut.start(form);

            sut.shutdown();

            QCOMPARE(sut.state(), CaptureController::State::Stopped);
        }
        QVERIFY(!segment_exists(form.name));
    }

    void theErrorTextIsASentenceWithItsFlagsAsTyped_data() {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("text");
        add_row("flag", "stop it or choose another --port",
                "Could not start capture: stop it or choose another --port.");
        add_row("command", "no camera 3; framebridge-server --list-cameras lists them",
                "Could not start capture: no camera 3; framebridge-server --list-cameras lists "
                "them.");
        add_row("full stop kept", "no camera.", "Could not start capture: no camera.");
    }

    void theErrorTextIsASentenceWithItsFlagsAsTyped() {
        QFETCH(QString, what);
        QFETCH(QString, text);

        QCOMPARE(ui::start_error_text(what.toStdString()), text);
    }
};

FRAMEBRIDGE_UI_TEST(CaptureControllerTest)
#include "capture_controller_test.moc"
