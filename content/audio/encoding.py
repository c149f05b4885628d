"""Speech compressed as MP3 (lameenc: LAME in a wheel, no system package), which every phone and browser plays."""

import lameenc

CONTENT_TYPE = "audio/mpeg"
EXTENSION = "mp3"
# eSpeak NG speaks at 22 050 Hz mono; 32 kbit/s keeps a formant voice clear at about 240 kB a minute.
BIT_RATE_KBPS = 32


def mp3(pcm, sample_rate):
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BIT_RATE_KBPS)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(2)
    return bytes(encoder.encode(pcm)) + bytes(encoder.flush())


def silence(sample_rate, ms):
    return b"\x00\x00" * (sample_rate * ms // 1000)
