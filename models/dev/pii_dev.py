"""A PII dev set (models/dev/pii_dev.jsonl) from carriers written for development only:
not the training carriers, not the gold ones. Written once (the committed jsonl is what
train.py evaluates; the values depend on datasets.PiiFaker, so a rerun may differ).
Run with /usr/bin/python3; deterministic."""
import json
import os
import random
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "train"))
import datasets as ds, sources
DEV_TEMPLATES = [
    "Ask {PERSON} whether the shipment left on {DATE_TIME}.",
    "I had lunch with {PERSON} yesterday and she gave me her number, {PHONE_NUMBER}.",
    "Can you invite {PERSON} and {PERSON} to the kickoff?",
    "Thank {PERSON} for the flowers.",
    "{PERSON}'s password reset link went to {EMAIL_ADDRESS}.",
    "Our new intern, {PERSON}, starts on {DATE_TIME}.",
    "The contract was signed by {PERSON} at {STREET_ADDRESS}.",
    "Let {PERSON} know the server {IP_ADDRESS} is back.",
    "Please pay {PERSON} using card {CREDIT_CARD}.",
    "Introduce me to {PERSON}; her email is {EMAIL_ADDRESS}.",
    "According to {PERSON}, the office at {STREET_ADDRESS} closes early.",
    "Notify {PERSON} ({PHONE_NUMBER}) if anything changes.",
    "Who is {PERSON} and why did she email {EMAIL_ADDRESS}?",
    "Book a table for {PERSON} on {DATE_TIME}.",
    "{PERSON} asked me to verify SSN {US_SSN}.",
    "Write a thank-you note from me to {PERSON}.",
    "Did {PERSON} move out of {STREET_ADDRESS}?",
    "The package for {PERSON} was left at the front desk.",
    "Schedule a call between {PERSON} and {PERSON} for {DATE_TIME}.",
    "Hire {PERSON} as a contractor; payment to card {CREDIT_CARD}.",
]
faker = ds.PiiFaker(777)
rng = random.Random(777)
wn = sources.WordNet()
ctx = ds.plain_sentences(wn, random.Random(5), 3000)
rows = ds.pii_set(DEV_TEMPLATES, faker, ctx, rng, 400)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_dev.jsonl"), "w") as f:
    for t, spans in rows:
        f.write(json.dumps({"text": t, "label": [{"type": ty, "begin": len(t[:b].encode()), "end": len(t[:e].encode()), "text": t[b:e]} for ty, b, e in spans]}) + "\n")
print(len(rows))
