-- The few fordringer with a tilbageførsel, so finding their persons after an import reads only
-- them (an extract without the column costs nothing).
CREATE INDEX fordring_tilbagefoersel ON fordring (kommune, cpr) WHERE tilbagefoersel = 1;
