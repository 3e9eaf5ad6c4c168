<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows an Atom or RSS feed of Pressroom as a readable page when it is opened in a browser.
     Feed readers ignore it. Text is bilingual because a feed has no UI catalogue. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/">
    <xsl:variable name="title" select="atom:feed/atom:title | rss/channel/title"/>
    <xsl:variable name="home" select="atom:feed/atom:link[@rel='alternate']/@href | rss/channel/link"/>
    <html lang="{atom:feed/@xml:lang | rss/channel/language}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
      </head>
      <body>
        <main class="container feed-preview">
          <p class="kicker">Nguồn tin (feed) · Feed</p>
          <h1><xsl:value-of select="$title"/></h1>
          <p class="translation-link">Đây là nguồn tin: sao chép địa chỉ trang này vào trình đọc tin để nhận thông cáo mới.
            <span lang="en">This is a feed: copy this page's address into your feed reader to receive new releases.</span></p>
          <p><a href="{$home}">← <xsl:value-of select="$home"/></a></p>
          <ol class="search-results">
            <xsl:for-each select="atom:feed/atom:entry | rss/channel/item">
              <li class="search-result">
                <h2 class="release-item-title">
                  <a href="{atom:link[@rel='alternate'][last()]/@href | link}"><xsl:value-of select="atom:title | title"/></a>
                </h2>
                <p class="release-item-meta"><xsl:value-of select="substring(atom:published | pubDate, 1, 25)"/></p>
              </li>
            </xsl:for-each>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
