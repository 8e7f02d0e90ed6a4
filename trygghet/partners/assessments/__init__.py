"""The EST meeting's record of each period: the chief's assessment, the partners' comments, the
actions agreed, and their follow-up in the periods after."""
