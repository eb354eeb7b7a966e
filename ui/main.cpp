// framebridge: the desktop app. Takes framebridge-server's flags, plus --start.

#include "controllers/quit_on_signal.hpp"
#include "framebridge/app/sources/camera_report.hpp"
#include "models/app_options.hpp"
#include "widgets/app_icon.hpp"
#include "widgets/main_window.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <QApplication>
#include <QSettings>
#include <cstdio>

int main(int argc, char** argv) {
    const auto parsed = framebridge::ui::parse_app_options(argc, argv);
    if (!parsed.options) {
        std::fputs(parsed.message.c_str(), parsed.exit_code == 0 ? stdout : stderr);
        return parsed.exit_code;
    }
    const framebridge::ui::AppOptions& options = *parsed.options;
    if (options.server.list_cameras) {
        return framebridge::app::print_cameras("framebridge");
    }
    spdlog::set_default_logger(spdlog::stderr_color_mt("framebridge"));
    spdlog::set_level(spdlog::level::from_str(options.server.log_level));
    spdlog::set_pattern("%H:%M:%S.%e %^%l%$ %v");

    QApplication app(argc, argv);
    QApplication::setOrganizationName("FrameBridge");
    QApplication::setApplicationName("framebridge");
    QApplication::setApplicationVersion("0.1.0");
    QApplication::setWindowIcon(framebridge::ui::app_icon());
    QGuiApplication::setDesktopFileName("framebridge");  // assets/framebridge.desktop

    QSettings settings;
    framebridge::ui::MainWindow window(settings);
    window.apply_options(options);
    framebridge::ui::close_on_termination_signals(window);
    window.show();
    if (options.start) {
        window.start_capture();
    }
    return QApplication::exec();
}
