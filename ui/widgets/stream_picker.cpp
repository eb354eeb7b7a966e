#include "widgets/stream_picker.hpp"

#include "models/stream_choices.hpp"

#include <QAbstractItemView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>

namespace framebridge::ui {

StreamPicker::StreamPicker(QWidget* parent) : QWidget(parent), combo_(new QComboBox) {
    combo_->setObjectName("stream_picker");
    combo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    combo_->setToolTip(tr("The stream the preview shows: the capture, or one a client publishes"));
    combo_->setEnabled(false);
    auto* label = new QLabel(tr("&Stream:"));
    label->setBuddy(combo_);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(label);
    layout->addWidget(combo_);
    layout->addStretch(1);
    // activated: the user's pick only, never the lists show_choices() puts in.
    connect(combo_, &QComboBox::activated, this,
            [this](int index) { Q_EMIT picked(combo_->itemData(index).toString()); });
}

void StreamPicker::show_choices(const StreamChoices& choices) {
    const QSignalBlocker quiet(combo_);
    const QList<StreamChoice>& entries = choices.entries();
    bool same = combo_->count() == entries.size();
    for (int i = 0; same && i < entries.size(); ++i) {
        same = combo_->itemData(i).toString() == entries[i].name &&
               combo_->itemText(i) == entries[i].text;
    }
    if (!same) {
        if (combo_->view()->isVisible()) {
            return;  // not under the user's pointer: the update after the list closes
        }
        combo_->clear();
        for (const StreamChoice& entry : entries) {
            combo_->addItem(entry.text, entry.name);
        }
    }
    combo_->setCurrentIndex(choices.current_index());
    combo_->setEnabled(!entries.isEmpty());
}

}  // namespace framebridge::ui
