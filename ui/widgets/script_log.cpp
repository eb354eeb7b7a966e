#include "widgets/script_log.hpp"

#include "controllers/script_runner.hpp"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QTextDocument>
#include <QVBoxLayout>

namespace framebridge::ui {

namespace {

constexpr int LOG_LINES_KEPT = 5000;
const QColor STDERR_COLOUR(0xb0, 0x00, 0x20);  // the error red of the capture panel

}  // namespace

ScriptLog::ScriptLog(ScriptRunner& runner, QWidget* parent)
    : QWidget(parent), runner_(runner), status_(new QLabel), log_(new QPlainTextEdit) {
    status_->setObjectName("script_status");
    status_->setWordWrap(true);
    log_->setObjectName("script_log");
    log_->setReadOnly(true);
    log_->setLineWrapMode(QPlainTextEdit::NoWrap);  // one printed line, one line on screen
    log_->setMaximumBlockCount(LOG_LINES_KEPT);
    log_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 0);
    layout->addWidget(status_);
    layout->addWidget(log_, 1);

    QScrollBar* down = log_->verticalScrollBar();
    connect(down, &QScrollBar::valueChanged, this,
            [this, down](int value) { follow_ = value == down->maximum(); });
    connect(down, &QScrollBar::rangeChanged, this, [this, down](int, int maximum) {
        if (follow_) {
            down->setValue(maximum);
        }
    });
    connect(&runner_, &ScriptRunner::started, this, [this](const QString& command_line) {
        append("$ " + command_line + "\n");
        status_->setText(tr("Running"));
        Q_EMIT state_changed();
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
        Q_EMIT state_changed();
    });
}

QString ScriptLog::text() const {
    return log_->toPlainText();
}

QString ScriptLog::status() const {
    return status_->text();
}

void ScriptLog::append(const QString& text, const QColor& colour) {
    const int across = log_->horizontalScrollBar()->value();  // inserting would move it
    QTextCursor end(log_->document());
    end.movePosition(QTextCursor::End);
    QTextCharFormat format;
    if (colour.isValid()) {
        format.setForeground(colour);
    }
    end.insertText(text, format);
    log_->horizontalScrollBar()->setValue(across);
}

}  // namespace framebridge::ui
