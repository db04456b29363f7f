#pragma once

// The window's palettes. Qt 6.4 does not follow the desktop's dark mode by itself, so View > Dark palette (and
// the hidden --dark option of the screenshots) switches to this one, with the Fusion style, whose check boxes,
// frames and focus rings are drawn from the palette and stay legible on it.

#include <QPalette>

namespace plansight::gui {

QPalette darkPalette();
// Applies the dark palette (with the Fusion style) or the style's own palette to the whole application.
void applyDarkPalette(bool dark);

} // namespace plansight::gui
