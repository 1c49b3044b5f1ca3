// words: whole words or phrases from the guardrail's list, matched case-insensitively (ASCII
// letters) on word boundaries, so "ass" never fires inside "class". A phrase matches its words in
// order with any run of non-word characters between them. Time: one pass over the text's words,
// each looked up in a hash map by the phrase's first word.
#include <algorithm>
#include <unordered_map>

#include "guardrails/check.h"

namespace switchyard::guardrails {
namespace {

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c >= 0x80;  // UTF-8 letters are word bytes: a word is never cut inside a character
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

struct Word {
  std::size_t begin, end;
};

std::vector<Word> WordsOf(std::string_view text) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    const std::size_t begin = i;
    while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    if (i > begin) words.push_back({begin, i});
  }
  return words;
}

std::string Lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

class WordsCheck final : public Check {
 public:
  explicit WordsCheck(const std::vector<std::string>& entries) {
    for (const std::string& entry : entries) {
      std::vector<std::string> phrase;
      for (const Word& word : WordsOf(entry)) {
        phrase.push_back(Lowered(std::string_view(entry).substr(word.begin, word.end - word.begin)));
      }
      if (!phrase.empty()) by_first_[phrase.front()].push_back(std::move(phrase));
    }
  }

  void FindSpans(std::string_view text, std::vector<TextSpan>& out) const override {
    const std::vector<Word> words = WordsOf(text);
    std::string lowered;
    for (std::size_t i = 0; i < words.size(); ++i) {
      lowered = Lowered(text.substr(words[i].begin, words[i].end - words[i].begin));
      auto found = by_first_.find(lowered);
      if (found == by_first_.end()) continue;
      for (const std::vector<std::string>& phrase : found->second) {
        if (Matches(text, words, i, phrase)) {
          out.push_back({words[i].begin, words[i + phrase.size() - 1].end, "word"});
          break;
        }
      }
    }
  }

 private:
  static bool Matches(std::string_view text, const std::vector<Word>& words, std::size_t at,
                      const std::vector<std::string>& phrase) {
    if (at + phrase.size() > words.size()) return false;
    for (std::size_t k = 1; k < phrase.size(); ++k) {
      const Word& word = words[at + k];
      std::string_view piece = text.substr(word.begin, word.end - word.begin);
      if (piece.size() != phrase[k].size()) return false;
      for (std::size_t c = 0; c < piece.size(); ++c) {
        if (Lower(piece[c]) != phrase[k][c]) return false;
      }
    }
    return true;
  }

  std::unordered_map<std::string, std::vector<std::vector<std::string>>> by_first_;
};

}  // namespace

Result<CheckPtr> MakeWordsCheck(const config::GuardrailConfig& config) {
  return CheckPtr(std::make_shared<const WordsCheck>(config.words));
}

}  // namespace switchyard::guardrails
