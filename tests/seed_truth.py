"""Hand-written truth about the seed pair (read from the articles, not from coverdiff).

Reuters (000_…, left) and CNN (001_…, right): the first words of every news
paragraph in order, the page furniture that must be gone, and a gold
alignment. Gold pairs are (Reuters paragraph, CNN paragraph), 0-based over the
news paragraphs below. `SURE` pairs report the same fact; `POSSIBLE` pairs
overlap partly (precision counts them as right, recall does not need them).

Changes after a second reading of the two articles (not of coverdiff's output):
- POSSIBLE gains (4, 0): Reuters' "expect that to happen in the coming days"
  and CNN's "expected to enter combat ... in the coming days" report the same
  expectation;
- POSSIBLE gains (0, 11): Reuters' lead ends with Blinken pressing China "to
  use its influence to rein in Pyongyang", the fact CNN's paragraph 11 reports.
"""

REUTERS_PARAGRAPHS = [
    "WASHINGTON (Reuters) -The United States expects North Korean troops",
    "Blinken said Russia has been training the North Korean soldiers",
    "The top U.S. diplomat said there were 10,000 North Korean troops",
    "They would become legitimate military targets",
    "\"We've not yet seen these troops deploy into combat",
    "During their meeting, the U.S. and South Korea discussed",
    "Austin said the U.S. would announce new security assistance",
    "The U.S. and South Korea agreed that China should do more",
    "\"I think they know well the concerns that we have",
    "Beijing, close partners with both Moscow and Pyongyang",
    "Washington says China, which entered into a \"no limits\" partnership",
    "China says the U.S. makes false accusations",
    "Austin said Ukraine could hold on to Russian territory in Kursk",
    "\"I do believe that they can hold on to the territory",
]
CNN_PARAGRAPHS = [
    "As many as 8,000 North Korean troops are in Russia’s Kursk region",
    "Secretary of State Antony Blinken, speaking alongside",
    "Although the US has not yet seen the troops engaged",
    "The 8,000 North Korean troops now in Kursk represent a majority",
    "“We are consulting closely with our allies",
    "Ukrainian forces have held territory in Kursk since launching",
    "Asked if he believed Ukraine would be able to hold its territory",
    "Russian troops have suffered heavy losses",
    "Russian Foreign Minister Sergey Lavrov on Friday praised",
    "“This helps to solve very important tasks",
    "The meeting in Moscow marked the sixth time",
    "On Thursday, Blinken and Austin redoubled their calls for China",
    "“We’ve had communications with China",
    "“We’re very focused on and concerned about what Russia",
    "“I’m surprised by China’s silence”",
]
FURNITURE = [
    "Skip to main content", "1 min", "COP29", "Pay up or face climate-led disaster",
    "United Nations Secretary-General Antonio Guterres", "Haiti to replace prime minister",
    "Haiti will name entrepreneur", "Subscribe to our newsletter", "Mena banner 4",
    "we use cookies", "Necessary cookies", "Cookie Policy", "Tags", "Related",
]
SURE = {(0, 0), (1, 1), (2, 3), (3, 2), (4, 2), (6, 4), (7, 11), (8, 12), (12, 7), (13, 6)}
POSSIBLE = SURE | {(2, 5), (2, 0), (0, 3), (3, 1), (5, 4), (5, 3), (7, 12), (12, 6), (4, 0), (0, 11)}
LEFT_ONLY = {9, 10, 11}  # Beijing's calls, "no limits" partnership, China's denial
RIGHT_ONLY = {8, 9, 10, 13, 14}  # Lavrov (3), Russia's capacities quote, Zelensky on China
