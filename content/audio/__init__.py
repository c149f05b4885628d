"""Published articles read aloud, with word timings for read-along, and glossary pronunciations (issue 18).

speech.py talks to eSpeak NG; script.py says what is read; timings.py turns the
synthesiser's word events into offsets into the served text; making.py makes
and keeps a reading (run by tasks.py in the queue, never in a request);
payload.py describes it in the article detail; views.py serves the files.
"""
