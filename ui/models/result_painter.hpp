#pragma once

#include "models/result_overlay.hpp"

#include <QRectF>
#include <QSize>
#include <QString>
#include <vector>

class QPainter;

namespace framebridge::ui {

/// @brief Where a frame is drawn, for the results over it.
struct ResultPlacement {
    QRectF frame_rect;  ///< where the frame is drawn, in the painter's coordinates
    QSize frame_size;   ///< the frame's own pixels, which results are given in
    QRectF text_area;   ///< the part of the frame seen, for the text lines and the legend
};

/// @brief "face 0.93", "face" or "0.93": the caption of box `index`; empty when the result has
/// neither labels nor scores.
QString box_caption(const protocol::Result& result, std::size_t index);

/// @brief "face_detection.py #3 · 29.8/s": a sender's line in the legend.
QString legend_text(const ShownResult& shown);

/// @brief Draws each sender's result scaled from the frame's pixels to where the frame is:
/// boxes with their captions, points as small discs and polylines, in the sender's colour at
/// its opacity; each sender's text a line at the top left of the area seen, and the legend
/// (colour, sender, results per second) at its top right.
void paint_results(QPainter& painter, const std::vector<ShownResult>& results,
                   const ResultPlacement& where);

}  // namespace framebridge::ui
