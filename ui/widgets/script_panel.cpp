#include "widgets/script_panel.hpp"

#include "controllers/script_runner.hpp"
#include "models/script_catalog.hpp"
#include "widgets/python_field.hpp"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QTextDocument>

namespace framebridge::ui {

namespace {

constexpr int LOG_LINES_KEPT = 5000;
const QColor STDERR_COLOUR(0xb0, 0x00, 0x20);  // the error red of the capture panel

}  // namespace

ScriptPanel::ScriptPanel(ScriptRunner& runner, const QStringList& examples, QWidget* parent)
    : QWidget(parent),
      runner_(runner),
      script_(new QComboBox),
      arguments_(new QLineEdit),
      port_(new QSpinBox),
      python_(new PythonField),
      run_(new QPushButton(tr("Run"))),
      stop_(new QPushButton(tr("Stop"))),
      status_(new QLabel),
      log_(new QPlainTextEdit) {
    script_->setObjectName("script");
    script_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    for (const QString& example : examples) {
        add_script(example);
    }
    arguments_->setObjectName("script_arguments");
    arguments_->setToolTip(tr("Arguments for the script; {port} becomes the capture's port"));
    port_->setObjectName("script_port");
    port_->setRange(1, 65535);
    port_->setValue(7600);
    port_->setToolTip(
        tr("The server the script connects to: the capture's port while it runs, "
           "or a framebridge-server started elsewhere"));
    run_->setObjectName("run_script");
    stop_->setObjectName("stop_script");
    log_->setObjectName("script_log");
    log_->setReadOnly(true);
    log_->setLineWrapMode(QPlainTextEdit::NoWrap);  // one printed line, one line on screen
    log_->setMaximumBlockCount(LOG_LINES_KEPT);
    log_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    log_->setPlaceholderText(tr("What the script prints appears here."));
    auto* browse = new QPushButton(tr("Browse…"));

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Script")), 0, 0);
    layout->addWidget(script_, 0, 1);
    layout->addWidget(browse, 0, 2);
    layout->addWidget(new QLabel(tr("Arguments")), 1, 0);
    auto* arguments_row = new QHBoxLayout;
    arguments_row->addWidget(arguments_, 1);
    arguments_row->addWidget(new QLabel(tr("Port")));
    arguments_row->addWidget(port_);
    layout->addLayout(arguments_row, 1, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(run_);
    buttons->addWidget(stop_);
    layout->addLayout(buttons, 1, 2);
    layout->addWidget(new QLabel(tr("Python")), 2, 0);
    layout->addWidget(python_, 2, 1, 1, 2);
    layout->addWidget(status_, 3, 0, 1, 3);
    layout->addWidget(log_, 4, 0, 1, 3);
    layout->setColumnStretch(1, 1);
    layout->setRowStretch(4, 1);

    connect(browse, &QPushButton::clicked, this, &ScriptPanel::browse);
    connect(run_, &QPushButton::clicked, this, &ScriptPanel::run);
    connect(stop_, &QPushButton::clicked, &runner_, &ScriptRunner::stop);
    connect(&runner_, &ScriptRunner::started, this, [this](const QString& command_line) {
        append("$ " + command_line + "\n");
        status_->setText(tr("Running %1").arg(script_->currentText()));
        update_buttons();
    });
    connect(&runner_, &ScriptRunner::output, this, [this](const QString& text) { append(text); });
    connect(&runner_, &ScriptRunner::error_output, this,
            [this](const QString& text) { append(text, STDERR_COLOUR); });
    connect(&runner_, &ScriptRunner::finished, this, [this](const QString& how) {
        if (!log_->toPlainText().endsWith('\n')) {
            append("\n");
        }
        append(tr("[the script %1]").arg(how) + "\n");
        status_->setText(tr("The script %1.").arg(how));
        update_buttons();
    });
    set_choice(ScriptChoice{});
    update_buttons();
}

void ScriptPanel::set_port(std::optional<std::uint16_t> port) {
    if (port) {
        port_->setValue(*port);
    }
}

std::uint16_t ScriptPanel::port() const {
    return static_cast<std::uint16_t>(port_->value());
}

ScriptChoice ScriptPanel::choice() const {
    return {script_->currentData().toString(), arguments_->text(), python_->python()};
}

void ScriptPanel::set_choice(const ScriptChoice& choice) {
    if (!choice.path.isEmpty() && QFileInfo::exists(choice.path)) {
        add_script(choice.path);
    }
    arguments_->setText(choice.arguments);
    if (!choice.python.isEmpty()) {
        python_->set_python(choice.python);
    }
}

QString ScriptPanel::log_text() const {
    return log_->toPlainText();
}

void ScriptPanel::add_script(const QString& path) {
    int index = script_->findData(path);
    if (index < 0) {
        script_->addItem(QFileInfo(path).fileName(), path);
        script_->setItemData(script_->count() - 1, path, Qt::ToolTipRole);
        index = script_->count() - 1;
    }
    script_->setCurrentIndex(index);
    update_buttons();
}

void ScriptPanel::browse() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a Python script"),
                                                      QFileInfo(choice().path).absolutePath(),
                                                      tr("Python scripts (*.py);;All files (*)"));
    if (!path.isEmpty()) {
        add_script(path);
    }
}

void ScriptPanel::run() {
    if (script_->currentIndex() < 0) {
        return;
    }
    runner_.run(python_->python(), choice().path, script_arguments(arguments_->text(), port()));
}

void ScriptPanel::append(const QString& text, const QColor& colour) {
    QScrollBar* bar = log_->verticalScrollBar();
    const bool at_end = bar->value() == bar->maximum();
    const int across = log_->horizontalScrollBar()->value();  // inserting would move it
    QTextCursor end(log_->document());
    end.movePosition(QTextCursor::End);
    QTextCharFormat format;
    if (colour.isValid()) {
        format.setForeground(colour);
    }
    end.insertText(text, format);
    log_->horizontalScrollBar()->setValue(across);
    if (at_end) {
        bar->setValue(bar->maximum());
    }
}

void ScriptPanel::update_buttons() {
    const bool running = runner_.is_running();
    run_->setEnabled(!running && script_->currentIndex() >= 0);
    stop_->setEnabled(running);
}

}  // namespace framebridge::ui
