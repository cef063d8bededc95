def find_quotations(paragraphs, kinds=None, style=None):
    return []
