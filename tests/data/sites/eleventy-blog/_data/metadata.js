export default {
  title: "Getijden",
  url: "https://getijden.example/",
  language: "nl",
  description: "Notities over eb en vloed aan de Waddenkust.",
  author: {
    name: "A. Visser",
    url: "https://getijden.example/over/",
  },
};
